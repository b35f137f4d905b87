"""Issue 15 items 1, 8, 9: the feed ingestion survives a broker restart (and says why it
cannot consume meanwhile), notices that the broker lost data, and never stores poison."""

import asyncio
import uuid

from prometheus_client import REGISTRY

from services import devinfra
from services.common import mongo
from services.gateway import feed
from services.gateway.feed_ingest import FeedIngester
from services.gateway.settings import GatewaySettings
from tests.conftest import eventually
from tests.faults.support import event, own_broker, publish


async def _ingester(infra, kafka):
    client = mongo.connect(infra["mongo"])
    db = client[f"feed_{uuid.uuid4().hex[:8]}"]
    await feed.create_indexes(db)
    settings = GatewaySettings(service_name=f"gw-{uuid.uuid4().hex[:6]}", kafka=kafka)
    ingester = FeedIngester(settings, db, check_seconds=0.3, retry_seconds=0.3)
    return client, db, ingester, asyncio.create_task(ingester.run())


async def _subjects(db) -> list[str]:
    return [d["key"] async for d in db["feed"].find({}).sort("_id", 1)]


async def test_feed_resumes_after_a_broker_restart_and_reports_the_lost_data(infra):
    broker, port, kafka = await own_broker()
    client, db, ingester, task = await _ingester(infra, kafka)
    try:
        before, after = event("thing"), event("thing")   # one key: one partition
        await publish(kafka, before)
        await eventually(lambda: _subjects(db), timeout=30)
        await eventually(lambda: asyncio.sleep(0, ingester.ready), timeout=10)
        assert ingester.status() == {"ready": True, "reason": "consuming"}

        broker.terminate()
        await asyncio.to_thread(broker.wait)
        await eventually(lambda: asyncio.sleep(0, not ingester.ready), timeout=20)
        assert ingester.status()["reason"].startswith("cannot consume: ")

        broker = await asyncio.to_thread(devinfra.start_kafka, port)  # same port, memory lost
        started = asyncio.get_running_loop().time()
        await eventually(lambda: asyncio.sleep(0, ingester.ready), timeout=30)
        await publish(kafka, after)  # the ingester created the lost topics again
        await eventually(lambda: _ids(db, 2), timeout=30)
        print(f"feed resumed {asyncio.get_running_loop().time() - started:.1f}s after the broker restarted")
        assert await _ids(db, 2) == [before.id, after.id]
        lost = ingester.status()["broker_data_lost"]
        assert lost.startswith("bth.incubation.case.v1[") and lost.endswith("] offset 0 < 1 already read")
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        devinfra.stop(broker)
        await client.close()


async def _ids(db, n: int) -> list[str] | None:
    ids = [d["event_id"] async for d in db["feed"].find({}).sort("_id", 1)]
    return ids if len(ids) == n else None


async def _has(db, subject: str) -> bool:
    return subject in await _subjects(db)


def _poison(reason: str) -> float:
    return REGISTRY.get_sample_value("bth_feed_poison_total", {"reason": reason}) or 0.0


async def test_poison_is_never_stored_in_the_feed_and_is_counted(infra):
    broker, _port, kafka = await own_broker()
    client, db, ingester, task = await _ingester(infra, kafka)
    before = {r: _poison(r) for r in ("not-a-cloudevent", "unknown-type", "corrupt-body")}
    try:
        await publish(kafka, (b"k", b"\x00garbage", []), event("unknown", type_="bth.nope.v1.Unknown"),
                      event("corrupt", data=b"\xff\xff\xff\xff"), event("good"))
        await eventually(lambda: _has(db, "good"), timeout=30)
        assert await _subjects(db) == ["good"]
        assert {r: _poison(r) - v for r, v in before.items()} == {
            "not-a-cloudevent": 1.0, "unknown-type": 1.0, "corrupt-body": 1.0}
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        devinfra.stop(broker)
        await client.close()
