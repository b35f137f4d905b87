"""Issue 15 item 6: after a broker outage the outbox drains within about a second (back-off
capped at MAX_BACKOFF_SECONDS, with jitter); the figure is printed."""

import asyncio
import time
import uuid

from services import devinfra
from services.common import kafka as kafka_topics
from services.common import mongo, relay
from services.common.clock import ManualClock
from services.common.outbox import PUBLISHED, Outbox
from services.common.relay import OutboxRelay
from services.common.settings import KafkaSettings
from tests.common.test_outbox_and_consumer import TOPIC, commit_events, read_records, read_versions
from tests.conftest import eventually
from tests.faults.support import own_broker
from tests.support.tcpproxy import TcpProxy


def test_backoff_is_capped_low_and_jittered():
    delays = [relay.backoff(n, 0.5) for n in range(1, 30) for _ in range(20)]
    assert max(delays) <= relay.MAX_BACKOFF_SECONDS <= 2.0
    assert min(relay.backoff(1, 0.5) for _ in range(50)) < max(relay.backoff(1, 0.5) for _ in range(50))


async def test_outbox_drains_within_seconds_after_a_long_broker_outage(infra):
    broker_port, proxy_port = devinfra.free_port(), devinfra.free_port()
    broker = await asyncio.to_thread(devinfra.start_kafka, broker_port, advertised_port=proxy_port)
    proxy = TcpProxy(proxy_port, broker_port)
    await proxy.start()
    kafka = KafkaSettings(bootstrap_servers=f"127.0.0.1:{proxy_port}")
    client = mongo.connect(infra["mongo"])
    db_name = f"drain_{uuid.uuid4().hex[:8]}"
    outbox = Outbox(client[db_name], "/bth/test", ManualClock())
    await outbox.create_indexes()
    r = OutboxRelay(outbox, kafka)  # the default poll interval, as in production
    task = asyncio.create_task(r.run())
    try:
        await commit_events(client, db_name, outbox, 3, "before")
        await eventually(lambda: _published(outbox, 3), timeout=20)
        await proxy.cut()
        await commit_events(client, db_name, outbox, 60, "during")
        await eventually(lambda: asyncio.sleep(0, r.failures >= 5), timeout=30)  # a long outage
        await proxy.start()
        started = time.monotonic()
        await eventually(lambda: _published(outbox, 63), timeout=30, interval=0.02)
        drained = time.monotonic() - started
        print(f"outbox drained 60 events {drained:.2f}s after the broker came back (relay failures: 5)")
        assert drained < 3.0
        assert await read_versions(kafka, TOPIC, "during", 60) == list(range(1, 61))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await proxy.cut()
        devinfra.stop(broker)
        await client.close()


async def _published(outbox, n) -> bool:
    return await outbox.collection.count_documents({"state": PUBLISHED}) == n


async def test_outbox_notices_a_restarted_broker_that_lost_data_and_publishes_again(infra):
    """Issue 15 item 9: the records the broker lost (published before its restart) are
    published again from the outbox, so every event is on the broker after the restart."""
    broker, port, kafka = await own_broker()
    client = mongo.connect(infra["mongo"])
    db_name = f"restart_{uuid.uuid4().hex[:8]}"
    outbox = Outbox(client[db_name], "/bth/test", ManualClock())
    await outbox.create_indexes()
    r = OutboxRelay(outbox, kafka, poll_seconds=0.1)
    task = asyncio.create_task(r.run())
    try:
        await kafka_topics.create_missing(kafka)
        await commit_events(client, db_name, outbox, 2, "thing")
        await eventually(lambda: _published(outbox, 2), timeout=20)
        broker.terminate()
        await asyncio.to_thread(broker.wait)
        broker = await asyncio.to_thread(devinfra.start_kafka, port)   # same port, memory lost
        await commit_events(client, db_name, outbox, 3, "thing")       # versions 1..3 again, same partition
        await eventually(lambda: _published(outbox, 5), timeout=30)
        assert "offset 0 <= 1 seen before" in r.data_lost
        assert relay.REPLAYED._value.get() >= 2
        records = await read_records(kafka, TOPIC, "thing", 5)
        ids = {header_value(rec, "ce_id") for rec in records}
        written = {d["event_id"] async for d in outbox.collection.find({})}
        assert ids == written and len(written) == 5   # the two lost ones are back, nothing missing
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        devinfra.stop(broker)
        await client.close()


def header_value(record, name: str) -> str:
    return dict(record.headers)[name].decode()


async def test_a_relay_started_after_a_whole_restart_still_notices_and_replays(infra):
    """The acknowledged offsets are kept in MongoDB: a relay process started after the broker
    (and everything else) restarted still notices the loss and publishes the lost records."""
    broker, port, kafka = await own_broker()
    client = mongo.connect(infra["mongo"])
    db_name = f"whole_{uuid.uuid4().hex[:8]}"
    outbox = Outbox(client[db_name], "/bth/test", ManualClock())
    await outbox.create_indexes()
    first = asyncio.create_task(OutboxRelay(outbox, kafka, poll_seconds=0.1).run())
    second = None
    try:
        await kafka_topics.create_missing(kafka)
        await commit_events(client, db_name, outbox, 2, "whole")
        await eventually(lambda: _published(outbox, 2), timeout=20)
        first.cancel()
        await asyncio.gather(first, return_exceptions=True)
        broker.terminate()
        await asyncio.to_thread(broker.wait)
        broker = await asyncio.to_thread(devinfra.start_kafka, port)   # memory lost
        await kafka_topics.create_missing(kafka)                       # another process was first
        restarted = OutboxRelay(outbox, kafka, poll_seconds=0.1)       # a new process: no memory of its own
        second = asyncio.create_task(restarted.run())
        await commit_events(client, db_name, outbox, 1, "whole")
        await eventually(lambda: _published(outbox, 3), timeout=30)
        await eventually(lambda: asyncio.sleep(0, bool(restarted.data_lost)), timeout=10)
        records = await read_records(kafka, TOPIC, "whole", 3)
        written = {d["event_id"] async for d in outbox.collection.find({})}
        assert {header_value(rec, "ce_id") for rec in records} == written and len(written) == 3
    finally:
        for task in (first, second):
            if task is not None:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        devinfra.stop(broker)
        await client.close()
