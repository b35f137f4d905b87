"""Operator tasks. `python -m services.admin init`: create the Kafka topics (partitions,
replication and retention from KAFKA_* settings) and every service's MongoDB indexes.
Idempotent; the Helm chart runs it as a pre-install/pre-upgrade hook."""

import argparse
import asyncio
import importlib

from services.common import kafka, logs, mongo
from services.common.settings import ServiceSettings, load

SERVICES = ["registry", "procurement", "incubation", "gateway"]


async def init(settings: ServiceSettings) -> None:
    log = logs.get("admin")
    created = await kafka.ensure_topics(settings.kafka)
    created += await kafka.ensure_topics(settings.kafka, [kafka.dlq_topic(s) for s in SERVICES])
    log.info("topics.ready", created=created)
    client = mongo.connect(settings.mongo.uri)
    try:
        await mongo.ping(client, settings.mongo.uri)
        for name in SERVICES:
            module = importlib.import_module(f"services.{name}.bootstrap" if name != "gateway"
                                             else "services.gateway.app")
            create = getattr(module, "create_indexes", None)
            if create:
                await create(client[settings.mongo.db or name])
                log.info("indexes.ready", service=name)
    finally:
        await client.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m services.admin")
    parser.add_argument("command", choices=["init"])
    parser.parse_args()
    settings = load(ServiceSettings, service_name="admin")
    logs.configure("admin", settings.log_level, settings.log_format)
    asyncio.run(init(settings))


if __name__ == "__main__":
    main()
