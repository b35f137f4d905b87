"""The outbox loses nothing across a broker outage; a consumer applies each event once and
sends a poison record to the dead-letter topic while it keeps running."""

import asyncio
import linecache
import uuid
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from services import devinfra
from services.common import consumer as consumer_module
from services.common import mongo
from services.common.aggregate import Aggregate
from services.common.clock import ManualClock
from services.common.consumer import EventConsumer
from services.common.envelope import Envelope
from services.common.outbox import PUBLISHED, Outbox
from services.common.relay import OutboxRelay
from services.common.settings import KafkaSettings
from services.registry.domain.events import AchievementSubmitted
from tests.conftest import eventually
from tests.support.tcpproxy import TcpProxy

TOPIC = "bth.registry.achievement.v1"


@dataclass(kw_only=True)
class Thing(Aggregate):
    thing_id: str

    @property
    def entity_id(self) -> str:
        return self.thing_id


async def commit_events(client, db_name, outbox, n: int, tag: str, per_transaction: int = 1,
                        first: int = 1) -> list[str]:
    """Events of the same entity `tag`, versions first..first + n - 1, `per_transaction` to a transaction."""
    async def some(lo, hi):
        async with mongo.UnitOfWork(client, db_name, outbox, "bth.registry.v1") as uow:
            thing = uow.track(Thing(thing_id=tag))
            for version in range(lo, hi + 1):
                thing.record(AchievementSubmitted(tag, {"achievement_id": tag, "version": version}, "tester"))
            await uow.commit()
    last = first + n - 1
    for start in range(first, last + 1, per_transaction):
        await mongo.with_retry(lambda start=start: some(start, min(last, start + per_transaction - 1)))
    return list(range(first, last + 1))


async def read_versions(kafka: KafkaSettings, topic: str, key: str, expected: int) -> list[int]:
    from bth.registry.v1 import achievement_pb2

    records = await read_records(kafka, topic, key, expected)
    return [achievement_pb2.AchievementSubmitted.FromString(r.value).achievement.version for r in records]


async def read_keys(kafka: KafkaSettings, topic: str, prefix: str, expected: int) -> list[bytes]:
    return [r.key for r in await read_records(kafka, topic, prefix, expected)]


async def read_records(kafka: KafkaSettings, topic: str, prefix: str, expected: int) -> list:
    consumer = AIOKafkaConsumer(topic, group_id=f"t-{uuid.uuid4()}", auto_offset_reset="earliest",
                                **kafka.client_options())
    await consumer.start()
    found: list = []
    try:
        async def enough():
            batch = await consumer.getmany(timeout_ms=300)
            found.extend(r for rs in batch.values() for r in rs if r.key.startswith(prefix.encode()))
            return len(found) >= expected
        await eventually(enough, timeout=30)
        await asyncio.sleep(0.5)
        batch = await consumer.getmany(timeout_ms=300)
        found.extend(r for rs in batch.values() for r in rs if r.key.startswith(prefix.encode()))
    finally:
        await consumer.stop()
    return found


async def test_outbox_delivers_everything_after_a_broker_outage(infra):
    broker_port, proxy_port = devinfra.free_port(), devinfra.free_port()
    # the broker advertises the proxy, so every client connection goes through it
    broker = await asyncio.to_thread(devinfra.start_kafka, broker_port, advertised_port=proxy_port)
    proxy = TcpProxy(proxy_port, broker_port)
    await proxy.start()
    kafka = KafkaSettings(bootstrap_servers=f"127.0.0.1:{proxy_port}")
    client = mongo.connect(infra["mongo"])
    db_name = f"outage_{uuid.uuid4().hex[:8]}"
    outbox = Outbox(client[db_name], "/bth/test", ManualClock())
    await outbox.create_indexes()
    relay = OutboxRelay(outbox, kafka, poll_seconds=0.1)
    task = asyncio.create_task(relay.run())
    try:
        before = await commit_events(client, db_name, outbox, 5, "before")
        await eventually(lambda: _count(outbox, PUBLISHED, 5))
        await proxy.cut()
        during = await commit_events(client, db_name, outbox, 10, "during")
        await asyncio.sleep(1.0)
        assert await outbox.collection.count_documents({"state": PUBLISHED}) == 5
        await proxy.start()
        await eventually(lambda: _count(outbox, PUBLISHED, 15), timeout=40)
        assert await read_versions(kafka, TOPIC, "before", 5) == before
        assert await read_versions(kafka, TOPIC, "during", 10) == during  # all, once, in order
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await proxy.cut()
        broker.terminate()
        await client.close()


async def _count(outbox, state, n):
    return await outbox.collection.count_documents({"state": state}) == n


async def test_poison_record_goes_to_dlq_and_each_event_applies_once(infra, kafka_settings):
    client = mongo.connect(infra["mongo"])
    db_name = f"consumer_{uuid.uuid4().hex[:8]}"
    outbox = Outbox(client[db_name], "/bth/test", ManualClock())
    await outbox.create_indexes()
    applied: list[str] = []

    async def handler(message, envelope, uow):
        if message.achievement.title == "explode":
            raise RuntimeError("handler failure")
        applied.append(message.achievement_id)
        await uow.db["applied"].insert_one({"_id": envelope.id}, session=uow.session)

    topic, dlq = f"t.{uuid.uuid4().hex[:6]}", f"t.dlq.{uuid.uuid4().hex[:6]}"
    consumer = EventConsumer("test-group", kafka_settings, {"bth.registry.v1.AchievementSubmitted": handler},
                             lambda: mongo.UnitOfWork(client, db_name, outbox, "bth.registry.v1"), dlq, 2)
    consumer.topics = [topic]
    producer = AIOKafkaProducer(acks="all", **kafka_settings.client_options())
    await producer.start()
    task = asyncio.create_task(consumer.run())
    try:
        good = _record("a-1", "fine")
        await producer.send_and_wait(topic, **good)
        await producer.send_and_wait(topic, **good)  # redelivery of the same event id
        await producer.send_and_wait(topic, value=b"\x00garbage", key=b"x", headers=[("ce_id", b"1")])
        await producer.send_and_wait(topic, **_record("a-2", "explode"))
        await producer.send_and_wait(topic, **_record("a-3", "fine"))
        dead = await read_keys(kafka_settings, dlq, "", 2)
        assert sorted(dead) == [b"a-2", b"x"]
        await eventually(lambda: _applied(client, db_name, 2))
        assert sorted(applied) == ["a-1", "a-3"]  # different keys: no order between them
        assert await client[db_name]["inbox"].count_documents({}) == 2
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await producer.stop()
        await client.close()


async def _applied(client, db_name, n):
    return await client[db_name]["applied"].count_documents({}) == n


def _record(achievement_id: str, title: str) -> dict:
    from datetime import UTC, datetime

    from bth.registry.v1 import achievement_pb2

    body = achievement_pb2.AchievementSubmitted(achievement_id=achievement_id, actor="t")
    body.achievement.title = title
    env = Envelope(id=f"ev-{achievement_id}", type="bth.registry.v1.AchievementSubmitted", source="/test",
                   subject=achievement_id, time=datetime.now(UTC), data=body.SerializeToString())
    key, value, headers = env.to_record()
    return {"key": key, "value": value, "headers": headers}




async def test_a_relay_stopped_while_idle_closes_its_producer(infra, kafka_settings):
    """Shutdown cancels the relay where it spends its time, waiting for the next record: its Kafka
    producer is closed then too (it was left open: "Unclosed AIOKafkaProducer" at every stop)."""
    client = mongo.connect(infra["mongo"])
    db_name = f"idle_stop_{uuid.uuid4().hex[:8]}"
    outbox = Outbox(client[db_name], "/bth/test", ManualClock())
    await outbox.create_indexes()
    relay = OutboxRelay(outbox, kafka_settings, poll_seconds=60)
    made, make = [], relay._producer
    relay._producer = lambda: made.append(make()) or made[-1]
    task = asyncio.create_task(relay.run())
    try:
        await commit_events(client, db_name, outbox, 1, f"idle-{uuid.uuid4().hex[:6]}")
        await eventually(lambda: _count(outbox, PUBLISHED, 1))
        await eventually(lambda: _suspended_at(task, "wakeup.wait()"))   # published, waiting for the next
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await client.close()
    assert [p._closed for p in made] == [True]


async def _suspended_at(task, code: str) -> bool:
    """Is the task's coroutine (a `run()`) suspended at the await on the line holding `code`?"""
    frame = task.get_stack()[0]
    return code in linecache.getline(frame.f_code.co_filename, frame.f_lineno)


async def test_a_consumer_stopped_while_starting_closes_its_clients(monkeypatch):
    """Shutdown may come while the consumer still waits for the broker: its Kafka consumer and
    producer are closed then too (they were left open: "Unclosed AIOKafkaConsumer")."""
    held = []   # the connections, open and never answered
    silent = await asyncio.start_server(lambda reader, writer: held.append(writer), "127.0.0.1", 0)
    made = []
    for name in ("AIOKafkaConsumer", "AIOKafkaProducer"):
        real = getattr(consumer_module, name)
        monkeypatch.setattr(consumer_module, name, lambda *a, real=real, **k: made.append(real(*a, **k)) or made[-1])
    kafka = KafkaSettings(bootstrap_servers=f"127.0.0.1:{silent.sockets[0].getsockname()[1]}")
    consumer = EventConsumer(f"g-{uuid.uuid4().hex[:6]}", kafka, {"bth.registry.v1.AchievementSubmitted": _ignore},
                             lambda: None, "test.dlq")
    task = asyncio.create_task(consumer.run())
    try:
        await eventually(lambda: _suspended_at(task, "await consumer.start()"))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        for writer in held:
            writer.close()
        silent.close()
    assert [(type(c).__name__, c._closed) for c in made] == [("AIOKafkaConsumer", True), ("AIOKafkaProducer", True)]


async def _ignore(message, envelope, uow) -> None:
    return None
