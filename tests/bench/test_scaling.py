"""Scaling of the idempotent consumer: 1, 2 and 4 consumer processes in one group on a topic of 4
partitions (tests/bench/consumer_process.py), every event applied in a unit of work with its inbox
mark on one Mongo-wire server. For each count: a broker of its own, the processes started and
their group settled, then EVENTS events (distinct entities, so every partition gets some)
published by the outbox relay; the figure is the time from the first publish to the last mark."""

import asyncio
import subprocess
import sys
import time
import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic

from services import devinfra
from services.common import contracts, inbox, mongo
from services.common.clock import SystemClock
from services.common.outbox import Outbox
from services.common.relay import OutboxRelay
from services.common.settings import KafkaSettings
from services.registry.domain.events import AchievementSubmitted
from tests.bench.consumer_process import TYPE
from tests.bench.procstat import cpu_seconds
from tests.common.test_outbox_and_consumer import Thing

pytestmark = pytest.mark.bench
EVENTS, PARTITIONS, SETTLE = 600, 4, 8.0


async def _outbox_with_events(client, db_name: str) -> Outbox:
    outbox = Outbox(client[db_name], "/bth/bench", SystemClock())
    await outbox.create_indexes()
    tag = uuid.uuid4().hex[:6]
    for i in range(EVENTS):
        async with mongo.UnitOfWork(client, db_name, outbox, "bth.registry.v1") as uow:
            thing = uow.track(Thing(thing_id=f"{tag}-{i}"))
            thing.record(AchievementSubmitted(f"{tag}-{i}", {"achievement_id": f"{tag}-{i}", "version": 1}, "bench"))
            await uow.commit()
    return outbox


def _consumer(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.bench.consumer_process", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def _run(count: int, mongo_uri: str, store_pid: int) -> tuple[float, float]:
    """Events per second, and the Mongo-wire server's CPU over the same time (% of a core)."""
    port = devinfra.free_port()
    broker = devinfra.start_kafka(port)
    kafka = KafkaSettings(bootstrap_servers=f"127.0.0.1:{port}")
    client = mongo.connect(mongo_uri)
    db_name, group = f"scale_{count}_{uuid.uuid4().hex[:6]}", f"bench-scale-{count}"
    procs = []
    try:
        admin = AIOKafkaAdminClient(**kafka.client_options())
        await admin.start()
        await admin.create_topics([NewTopic(contracts.catalogue()[TYPE].topic, PARTITIONS, 1)])
        await admin.close()
        outbox = await _outbox_with_events(client, db_name)
        await inbox.create_indexes(client[db_name])
        procs = [_consumer(kafka.bootstrap_servers, mongo_uri, db_name, group) for _ in range(count)]
        await asyncio.sleep(SETTLE)   # every process joined, the group's partitions assigned
        relay = OutboxRelay(outbox, kafka, batch=200)
        producer = relay._producer()
        await producer.start()
        started, store_cpu = time.perf_counter(), cpu_seconds(store_pid)
        while await relay.publish_pending(producer):
            pass
        await producer.stop()
        marks = client[db_name][inbox.COLLECTION]
        deadline = time.monotonic() + 300
        while await marks.count_documents({"group": group}) < EVENTS:
            assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "consumers stalled"
            await asyncio.sleep(0.05)
        took = time.perf_counter() - started
        return EVENTS / took, 100 * (cpu_seconds(store_pid) - store_cpu) / took
    finally:
        for proc in procs:
            devinfra.stop(proc)
        await client.drop_database(db_name)
        await client.close()
        devinfra.stop(broker)


async def test_consumer_scaling(report):
    section = f"Consumer scaling ({EVENTS} events, a topic of {PARTITIONS} partitions, one Mongo-wire server)"
    port = devinfra.free_port()
    store = devinfra.start_mongo(port)
    rates = {}
    try:
        for count in (1, 2, 4):
            rates[count], busy = await _run(count, f"mongodb://127.0.0.1:{port}/?directConnection=true", store.pid)
            report.add(section, f"{count} consumer process{'es' if count > 1 else ''}: events/s", rates[count],
                       "events/s", "1 process", rates[1], target=f"≥ {0.8 * count:.1f}× (near-linear)",
                       met=rates[count] >= 0.8 * count * rates[1], note=f"the store busy {busy:.0f} % of a core")
    finally:
        devinfra.stop(store)
