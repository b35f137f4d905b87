"""The event pipeline (outbox → Kafka → idempotent consumer vs raw aiokafka produce → consume),
its throughput and latency. Partner delivery: test_delivery_bench.py; idle CPU and memory of every
process: chart/test_idle.py."""

import asyncio
import os
import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from services.common import contracts, mongo
from services.common.clock import SystemClock
from services.common.consumer import EventConsumer
from services.common.outbox import Outbox
from services.common.relay import OutboxRelay
from services.common.settings import KafkaSettings
from services.registry.domain.events import AchievementSubmitted
from tests.bench.report import pct
from tests.common.test_outbox_and_consumer import Thing, commit_events

pytestmark = pytest.mark.bench
# events through the pipeline, per run: 20,000 takes about five minutes here (BENCH_PIPELINE_EVENTS=500,20000)
PIPELINE_EVENTS = [int(n) for n in os.environ.get("BENCH_PIPELINE_EVENTS", "500,20000").split(",")]
COMMITTED = min(PIPELINE_EVENTS)   # events committed through units of work per run (the rest: in bulk)
TYPE = "bth.registry.v1.AchievementSubmitted"


async def _consume(kafka, topic, done, on_record=None) -> tuple[float, int]:
    """Read the topic from the start until `done()`; the time from the first record (the group's
    join, a second or two, is not the consumer's rate) and how many records."""
    consumer = AIOKafkaConsumer(topic, group_id=f"b-{uuid.uuid4()}", auto_offset_reset="earliest",
                                **kafka.client_options())
    await consumer.start()
    seen, start = 0, None
    while not done():
        batch = await consumer.getmany(timeout_ms=200)
        start = start or (time.perf_counter() if batch else None)
        for records in batch.values():
            for record in records:
                if on_record:
                    await on_record(record)
                seen += 1
    await consumer.stop()
    return time.perf_counter() - start, seen


class _Recorded:
    """A collection that keeps what the outbox writes (an insert-only upsert per record)."""

    def __init__(self):
        self.documents = []

    async def update_one(self, selector, update, upsert, session):
        self.documents.append({"_id": selector["_id"], **update["$setOnInsert"]})


async def _seed(outbox: Outbox, n: int, tag: str) -> None:
    """n more records of entity `tag`: the documents Outbox.add writes, inserted 1,000 at a time."""
    recorder = Outbox({"outbox": _Recorded()}, outbox.source, outbox.clock)
    for version in range(COMMITTED + 1, COMMITTED + n + 1):
        thing = Thing(thing_id=tag)
        thing.record(AchievementSubmitted(tag, {"achievement_id": tag, "version": version}, "tester"))
        await recorder.add([(thing, event) for event in thing.events], "bth.registry.v1", None)
    documents = recorder.collection.documents
    for start in range(0, n, 1000):
        await outbox.collection.insert_many(documents[start:start + 1000])


async def _pipeline(kafka: KafkaSettings, mongo_uri: str, n: int) -> dict[str, float]:
    """events/s of raw aiokafka produce and consume, and of the relay and the idempotent consumer
    over n events: the first COMMITTED committed 100 to a unit of work (the commit's rate), the rest
    seeded in bulk with the same documents; the consumer applies each in a unit of work of its own."""
    producer = AIOKafkaProducer(acks="all", **kafka.client_options())
    await producer.start()
    topic = f"bench.raw.{uuid.uuid4().hex[:6]}"
    start = time.perf_counter()
    await asyncio.gather(*[await producer.send(topic, b"x" * 400, key=str(i % 50).encode()) for i in range(n)])
    produced, read = time.perf_counter() - start, []
    took, _ = await _consume(kafka, topic, lambda: len(read) == n, lambda r: asyncio.sleep(0, read.append(r)))
    rates = {"raw produce": n / produced, "raw consume": n / took}
    await producer.stop()

    client = mongo.connect(mongo_uri)
    name = f"bench_{uuid.uuid4().hex[:6]}"
    outbox = Outbox(client[name], "/bth/bench", SystemClock())
    await outbox.create_indexes()
    tag = f"bench-{uuid.uuid4().hex[:6]}"
    start = time.perf_counter()
    await commit_events(client, name, outbox, COMMITTED, tag, per_transaction=100)
    rates["commit"] = COMMITTED / (time.perf_counter() - start)
    await _seed(outbox, n - COMMITTED, tag)
    relay = OutboxRelay(outbox, kafka, batch=200)
    producer = relay._producer()
    await producer.start()
    start = time.perf_counter()
    while await relay.publish_pending(producer):
        pass
    rates["relay"] = n / (time.perf_counter() - start)
    applied = []

    async def handler(message, envelope, uow):
        applied.append(envelope.id)
    consumer = EventConsumer(f"bench-{uuid.uuid4().hex[:6]}", kafka, {TYPE: handler},
                             lambda: mongo.UnitOfWork(client, name, outbox, "bth.registry.v1"), "bench.dlq")
    topic = (await outbox.collection.find_one({}))["topic"]
    # a new group reads the earlier runs' events too (mongoeco's `distinct` compares every pair: not at 20,000)
    ours = {d["event_id"] async for d in outbox.collection.find({}, {"event_id": 1})}
    took, seen = await _consume(kafka, topic, lambda: ours <= set(applied), lambda r: consumer.process(r, producer))
    rates["consumer"] = seen / took
    await producer.stop()
    assert len(ours) == n and len(applied) == len(set(applied)) == seen
    await client.drop_database(name)
    await client.close()
    return rates


async def test_event_pipeline_vs_raw_aiokafka(infra, sqlite_mongo, report):
    kafka = KafkaSettings(bootstrap_servers=infra["kafka"])
    section = "Event pipeline (Tansu broker, Mongo-wire server on SQLite as `make run` keeps it)"
    first = None
    for n in PIPELINE_EVENTS:
        rates = await _pipeline(kafka, sqlite_mongo, n)
        first = first or rates
        report.add(section, f"commit into the outbox (100 events to a unit of work), {COMMITTED:,} of {n:,} events "
                   "(the rest seeded in bulk)", rates["commit"], "events/s", "raw aiokafka produce",
                   rates["raw produce"])
        report.add(section, f"outbox relay publish, {n:,} events", rates["relay"], "events/s",
                   "raw aiokafka produce", rates["raw produce"], target="≥ 0.5×",
                   met=rates["relay"] >= 0.5 * rates["raw produce"])
        report.add(section, f"idempotent consumer (inbox mark + unit of work per event), {n:,} events",
                   rates["consumer"], "events/s", "raw aiokafka consume", rates["raw consume"], target="≥ 0.5×",
                   met=rates["consumer"] >= 0.5 * rates["raw consume"])
        for side in ("relay", "consumer"):
            report.add(section, f"{side} rate with {n:,} events", rates[side], "events/s",
                       f"with {PIPELINE_EVENTS[0]:,}", first[side], target="≥ 0.8× (no growth)",
                       met=rates[side] >= 0.8 * first[side])


LATENCY_EVENTS, LATENCY_RATES = 200, (20, 100)


async def _raw_latencies(kafka: KafkaSettings, n: int, rate: float) -> list[float]:
    """ms from send to arrival at a consumer already waiting, n records at `rate` per second."""
    topic, sent, arrived = f"bench.lat.{uuid.uuid4().hex[:6]}", {}, {}
    producer = AIOKafkaProducer(acks="all", **kafka.client_options())
    await producer.start()
    await (await producer.send(topic, b"warm"))
    joined = asyncio.Event()

    async def arrive(record):
        arrived.setdefault(record.value, time.perf_counter())
        joined.set()
    reader = asyncio.create_task(_consume(kafka, topic, lambda: len(arrived) == n + 1, arrive))
    await asyncio.wait_for(joined.wait(), 60)   # the reader has joined its group and reads
    begun = time.perf_counter()
    for i in range(n):
        sent[str(i).encode()] = time.perf_counter()
        await (await producer.send(topic, str(i).encode()))
        await asyncio.sleep(max(0.0, begun + (i + 1) / rate - time.perf_counter()))
    await reader
    await producer.stop()
    return [(arrived[k] - t) * 1000 for k, t in sent.items()]


async def _start_at_the_end(kafka: KafkaSettings, group: str, topic: str) -> None:
    """Commit the group's offsets at the end of the topic, so its consumer reads what comes next."""
    consumer = AIOKafkaConsumer(group_id=group, enable_auto_commit=False, **kafka.client_options())
    await consumer.start()
    try:
        await consumer.topics()
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        if partitions:
            consumer.assign(partitions)
            ends = await consumer.end_offsets(partitions)
            await consumer.commit({tp: offset for tp, offset in ends.items()})
    finally:
        await consumer.stop()


async def _pipeline_latencies(kafka: KafkaSettings, mongo_uri: str, n: int, rate: float) -> list[float]:
    """ms from a unit of work's commit to the event applied by an idempotent consumer in another
    unit of work (relay and consumer running as a service runs them), n events at `rate`."""
    client = mongo.connect(mongo_uri)
    name, tag = f"bench_{uuid.uuid4().hex[:6]}", f"lat-{uuid.uuid4().hex[:6]}"
    outbox = Outbox(client[name], "/bth/bench", SystemClock())
    await outbox.create_indexes()
    committed, applied, joined = {}, {}, asyncio.Event()

    async def handler(message, envelope, uow):
        if message.achievement.achievement_id == tag:
            applied.setdefault(message.achievement.version, time.perf_counter())
            joined.set()
    group = f"bench-{uuid.uuid4().hex[:6]}"
    await _start_at_the_end(kafka, group, contracts.catalogue()[TYPE].topic)   # not the earlier runs' events
    consumer = EventConsumer(group, kafka, {TYPE: handler},
                             lambda: mongo.UnitOfWork(client, name, outbox, "bth.registry.v1"), "bench.dlq")
    tasks = [asyncio.create_task(OutboxRelay(outbox, kafka).run()), asyncio.create_task(consumer.run())]
    await commit_events(client, name, outbox, 1, tag, first=0)
    await asyncio.wait_for(joined.wait(), 60)   # the consumer has joined its group
    begun = time.perf_counter()
    for version in range(1, n + 1):
        await commit_events(client, name, outbox, 1, tag, first=version)
        committed[version] = time.perf_counter()
        await asyncio.sleep(max(0.0, begun + version / rate - time.perf_counter()))
    for _ in range(600):
        if len(applied) == n + 1:
            break
        await asyncio.sleep(0.05)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await client.drop_database(name)
    await client.close()
    assert sorted(applied) == list(range(n + 1))
    return [(applied[v] - t) * 1000 for v, t in committed.items()]


async def test_event_pipeline_latency(infra, sqlite_mongo, report):
    kafka = KafkaSettings(bootstrap_servers=infra["kafka"])
    section = "Event pipeline latency (commit → applied in another unit of work; Tansu, SQLite store)"
    for rate in LATENCY_RATES:
        raw = await _raw_latencies(kafka, LATENCY_EVENTS, rate)
        ours = await _pipeline_latencies(kafka, sqlite_mongo, LATENCY_EVENTS, rate)
        for name, q in (("p50", 0.5), ("p99", 0.99)):
            report.add(section, f"{LATENCY_EVENTS} events at {rate}/s, {name}", pct(ours, q), "ms",
                       f"raw aiokafka send → arrival, {name}", pct(raw, q))
