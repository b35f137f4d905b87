"""The event pipeline (outbox → Kafka → idempotent consumer vs raw aiokafka produce → consume),
partner delivery latency with and without a dead subscriber, and the delivery loop at rest (woken
by events vs the former 0.2 s polling). Idle CPU and memory of every process: test_idle.py."""

import asyncio
import json
import os
import time
import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from services import devinfra
from services.common import contracts, mongo
from services.common.clock import SystemClock
from services.common.consumer import EventConsumer
from services.common.outbox import Outbox
from services.common.relay import OutboxRelay
from services.common.settings import KafkaSettings, MongoSettings
from services.gateway import delivery as gateway_delivery
from services.gateway import feed, webhooks
from services.gateway.settings import GatewaySettings
from tests.bench.procstat import WINDOW, cpu_seconds
from tests.bench.report import p50, pct
from tests.common.test_outbox_and_consumer import commit_events

pytestmark = pytest.mark.bench
# events through the pipeline, per run: 20,000 takes about five minutes here (BENCH_PIPELINE_EVENTS=500,20000)
PIPELINE_EVENTS = [int(n) for n in os.environ.get("BENCH_PIPELINE_EVENTS", "500,5000").split(",")]
TYPE = "bth.registry.v1.AchievementSubmitted"


async def _consume(kafka, topic, done, on_record=None) -> tuple[float, int]:
    """Read the topic from the start until `done()`; the time it took and how many records."""
    consumer = AIOKafkaConsumer(topic, group_id=f"b-{uuid.uuid4()}", auto_offset_reset="earliest",
                                **kafka.client_options())
    await consumer.start()
    seen, start = 0, time.perf_counter()
    while not done():
        batch = await consumer.getmany(timeout_ms=200)
        for records in batch.values():
            for record in records:
                if on_record:
                    await on_record(record)
                seen += 1
    await consumer.stop()
    return time.perf_counter() - start, seen


async def _pipeline(kafka: KafkaSettings, mongo_uri: str, n: int) -> dict[str, float]:
    """events/s of raw aiokafka produce and consume, and of the relay and the idempotent consumer
    over n events committed 100 to a transaction (not timed; the consumer applies each in its own)."""
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
    await commit_events(client, name, outbox, n, f"bench-{uuid.uuid4().hex[:6]}", per_transaction=100)
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
    ours = set(await outbox.collection.distinct("event_id"))   # a new group reads the earlier runs' events too
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


class _Receiver:
    """Answers 200 and stamps each event's arrival; `dead=True` accepts and never answers."""

    def __init__(self, dead: bool = False):
        self.dead, self.arrived, self.server = dead, {}, None

    async def start(self):
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/hooks"

    async def _handle(self, reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        if self.dead:
            await asyncio.sleep(3600)
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        body = json.loads(await reader.readexactly(length))
        self.arrived[body["id"]] = time.perf_counter()
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    async def stop(self):
        if self.server is not None:
            self.server.close()


async def _subscribe(db, url: str) -> None:
    await db[webhooks.SUBSCRIPTIONS].insert_one({
        "_id": "sub_" + uuid.uuid4().hex[:8], "owner": "p", "organisation": "o", "region": "TIANJIN", "operator": True,
        "url": url, "event_types": ["*"], "secret": "whsec_" + "A" * 43, "active": True, "start_seq": 0})


async def _deliveries(mongo_uri: str, dead: bool, n: int, rate: float, **settings) -> tuple[list[float], float]:
    """Latencies of the events that arrived (ms), and the rate at which they were stored (per s):
    below `rate` when the store cannot take more."""
    client = mongo.connect(mongo_uri, serialize_writes=False)
    db = client[f"bench_hooks_{uuid.uuid4().hex[:6]}"]
    await gateway_delivery.create_indexes(db)
    s = GatewaySettings(mongo=MongoSettings(uri=mongo_uri), webhook_allow_private_networks=True,
                        webhook_timeout_seconds=2.0, **settings)
    d = gateway_delivery.Delivery(s, db)
    ok, down = _Receiver(), _Receiver(dead=True)
    await _subscribe(db, await ok.start())
    if dead:
        await _subscribe(db, await down.start())
    loop = asyncio.create_task(d.deliver_forever())
    sent = {}
    begun = time.perf_counter()
    for seq in range(1, n + 1):
        eid = f"e{seq}-{uuid.uuid4().hex[:4]}"
        await db[feed.COLLECTION].insert_one({
            "_id": feed.key(seq), "event_id": eid, "type": TYPE, "key": f"ach-{seq % 7}", "public": True,
            "all_regions": True, "regions": [],
            "event": {"specversion": "1.0", "id": eid, "type": TYPE, "subject": f"ach-{seq % 7}"}})
        sent[eid] = time.perf_counter()
        d._stored()
        await asyncio.sleep(max(0.0, begun + seq / rate - time.perf_counter()))
    stored_rate = n / (time.perf_counter() - begun)
    for _ in range(300):
        if len(ok.arrived) == n:
            break
        await asyncio.sleep(0.05)
    loop.cancel()
    await d.worker.aclose()
    await ok.stop()
    await down.stop()
    await client.drop_database(db.name)
    await client.close()
    return [(ok.arrived[e] - t) * 1000 for e, t in sent.items() if e in ok.arrived], stored_rate


EVENTS = 60   # per rate: the feed is written at the rate (as far as the store takes it), one event at a time


async def test_webhook_delivery_latency_with_a_dead_subscriber(infra, report):
    section = "Partner delivery (state change stored in the feed → signed webhook received)"
    for rate in (20, 50, 100, 1000):
        alone, _ = await _deliveries(infra["mongo"], False, EVENTS, rate)
        beside, stored = await _deliveries(infra["mongo"], True, EVENTS, rate)
        report.add(section, f"{rate}/s with a dead subscriber present (stored at {stored:.0f}/s), p50 (p99 "
                   f"{pct(beside, 0.99):.0f} ms, {len(beside)}/{EVENTS} delivered)", p50(beside), "ms",
                   "no dead subscriber", p50(alone), target="≤ 1.5×",
                   met=p50(beside) <= 1.5 * p50(alone) and len(beside) == EVENTS)


async def test_delivery_loop_at_rest(tmp_path, report):
    """The delivery loop and its Mongo-wire server at rest: event-driven (now) vs 0.2 s polling (before)."""
    port = devinfra.free_port()
    server = devinfra.start_mongo(port, str(tmp_path / "gw.sqlite"))
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    figures = {}
    try:
        for label, idle in (("polling every 0.2 s (before)", 0.2), ("event-driven (now)", 30.0)):
            client = mongo.connect(uri, serialize_writes=False)
            db = client[f"idle_{uuid.uuid4().hex[:6]}"]
            await gateway_delivery.create_indexes(db)
            d = gateway_delivery.Delivery(GatewaySettings(mongo=MongoSettings(uri=uri), delivery_idle_seconds=idle), db)
            await _subscribe(db, "http://127.0.0.1:9/hooks")   # a failing subscription, nothing pending
            loop = asyncio.create_task(d.deliver_forever())
            await asyncio.sleep(1)
            cpu0, own0 = cpu_seconds(server.pid), time.process_time()
            await asyncio.sleep(WINDOW)
            figures[label] = (100 * (cpu_seconds(server.pid) - cpu0) / WINDOW,
                              100 * (time.process_time() - own0) / WINDOW)
            loop.cancel()
            await d.worker.aclose()
            await client.drop_database(db.name)
            await client.close()
    finally:
        devinfra.stop(server)
    before, now = figures["polling every 0.2 s (before)"], figures["event-driven (now)"]
    section = f"Delivery loop at rest ({WINDOW:.0f} s window, % of one core)"
    report.add(section, "its Mongo-wire server (SQLite)", now[0], "%", "polling (before)", before[0],
               target="≤ 1 %", met=now[0] <= 1)
    report.add(section, "the delivery process itself (incl. the test runner)", now[1], "%", "polling (before)",
               before[1], target="≤ 1 %", met=now[1] <= 1)
