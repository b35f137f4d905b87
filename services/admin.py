"""Operator tasks. `python -m services.admin init [--database SERVICE=NAME ...]`: create the
Kafka topics (partitions, replication and retention from KAFKA_* settings) and the MongoDB
indexes of all four databases (registry, procurement, incubation, gateway), the same ones
each process creates when it starts. Idempotent; the Helm chart runs it as a
pre-install/pre-upgrade hook, naming each service's database (`<domain>.mongo.database`)."""

import argparse
import asyncio
import importlib

from services.common import kafka, logs, mongo
from services.common.clock import SystemClock
from services.common.outbox import Outbox
from services.common.settings import ServiceSettings, load

SERVICES = ["registry", "procurement", "incubation", "gateway"]
# The index functions each process runs at start (module, function), besides the outbox's.
DOMAIN_INDEXES = {
    "registry": ("services.registry.bootstrap", "create_indexes"),
    "procurement": ("services.procurement.adapters.repositories", "create_indexes"),
    "incubation": ("services.incubation.bootstrap", "create_indexes"),
}


async def _gateway_indexes(db) -> None:
    """What the gateway API (services.gateway.identity_and_delivery.start) and the delivery
    process (services.gateway.delivery.serve) create."""
    from services.gateway import accounts, delivery
    await accounts.create_indexes(db)
    await delivery.create_indexes(db)
    await db["idempotency"].create_index("expires_at")


async def create_indexes(name: str, db) -> None:
    if name == "gateway":
        await _gateway_indexes(db)
        return
    await Outbox(db, f"/bth/{name}", SystemClock()).create_indexes()
    module, function = DOMAIN_INDEXES[name]
    await getattr(importlib.import_module(module), function)(db)


async def init(settings: ServiceSettings, databases: dict[str, str] | None = None) -> None:
    """databases: service -> database name (default: the service's name)."""
    log = logs.get("admin")
    created = await kafka.ensure_topics(settings.kafka)
    created += await kafka.ensure_topics(settings.kafka, [kafka.dlq_topic(s) for s in SERVICES])
    log.info("topics.ready", created=created)
    client = mongo.connect(settings.mongo.uri)
    try:
        await mongo.ping(client, settings.mongo.uri)
        for name in SERVICES:
            database = (databases or {}).get(name, name)
            await create_indexes(name, client[database])
            log.info("indexes.ready", service=name, database=database)
    finally:
        await client.close()


def _database(text: str) -> tuple[str, str]:
    service, sep, name = text.partition("=")
    if not sep or service not in SERVICES or not name:
        raise argparse.ArgumentTypeError(f"expected SERVICE=NAME with SERVICE one of {', '.join(SERVICES)}: {text!r}")
    return service, name


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.admin")
    parser.add_argument("command", choices=["init"])
    parser.add_argument("--database", type=_database, action="append", default=[], metavar="SERVICE=NAME",
                        help="the database of a service (default: the service's name)")
    args = parser.parse_args(argv)
    settings = load(ServiceSettings, service_name="admin")
    logs.configure("admin", settings.log_level, settings.log_format)
    asyncio.run(init(settings, dict(args.database)))


if __name__ == "__main__":
    main()
