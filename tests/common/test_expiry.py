"""Records the platform expires itself (the embedded server has no TTL monitor): a consumer's
inbox marks past the topics' retention plus a day, expired idempotency records, and outbox
records published before the replay window; exact counts
on the real Mongo-wire server, with explicit times (no sleeping)."""

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from services.common import mongo
from services.common.clock import ManualClock
from services.common.consumer import EventConsumer
from services.common.inbox import retention
from services.common.outbox import FAILED, PENDING, PUBLISHED, Outbox
from services.common.settings import KafkaSettings
from services.gateway import idempotency

NOW = datetime(2026, 12, 1, tzinfo=UTC)


async def test_inbox_marks_expire_after_the_topic_retention_plus_a_day(infra):
    client = mongo.connect(infra["mongo"])
    name = f"expiry_{uuid.uuid4().hex[:8]}"
    kafka = KafkaSettings(bootstrap_servers=infra["kafka"], topic_retention_ms=3 * 24 * 3600 * 1000)
    consumer = EventConsumer("g1", kafka, {}, lambda: SimpleNamespace(client=client, database=name), "dlq")
    assert retention(kafka) == timedelta(days=4)
    inbox = client[name]["inbox"]
    for i, age in enumerate([5, 4.5, 3.9, 0]):
        await inbox.update_one({"_id": f"g1:e{i}"}, {"$setOnInsert": {"group": "g1", "at": NOW - timedelta(days=age)}},
                               upsert=True)
    await inbox.update_one({"_id": "g2:old"}, {"$setOnInsert": {"group": "g2", "at": NOW - timedelta(days=30)}},
                           upsert=True)
    assert await consumer.sweep_inbox(NOW) == 2
    assert sorted(d["_id"] for d in await inbox.find({}).to_list()) == ["g1:e2", "g1:e3", "g2:old"]
    forever = EventConsumer("g2", KafkaSettings(topic_retention_ms=-1), {},
                            lambda: SimpleNamespace(client=client, database=name), "dlq")
    assert await forever.sweep_inbox(NOW) == 0 and await inbox.count_documents({}) == 3
    await client.drop_database(name)
    await client.close()


async def test_expired_idempotency_records_are_swept(infra):
    client = mongo.connect(infra["mongo"])
    col = client[f"expiry_{uuid.uuid4().hex[:8]}"]["idempotency"]
    for i, left in enumerate([-10, 0, 10]):
        await col.update_one({"_id": f"k{i}"}, {"$setOnInsert": {"expires_at": NOW + timedelta(seconds=left)}},
                             upsert=True)
    assert await idempotency.sweep(col, NOW) == 2
    assert [d["_id"] for d in await col.find({}).to_list()] == ["k2"]
    await client.drop_database(col.database.name)
    await client.close()


async def test_published_outbox_records_before_a_moment_are_purged_and_pending_ones_kept(infra):
    client = mongo.connect(infra["mongo"])
    outbox = Outbox(client[f"expiry_{uuid.uuid4().hex[:8]}"], "/bth/test", ManualClock(NOW))
    for i, (state, age) in enumerate([(PUBLISHED, 3), (PUBLISHED, 2), (PUBLISHED, 0.5), (PENDING, 5), (FAILED, 5)]):
        await outbox.collection.update_one({"_id": f"r{i}"}, {"$setOnInsert": {
            "state": state, "published_at": NOW - timedelta(days=age) if state == PUBLISHED else None}}, upsert=True)
    assert await outbox.purge_published_before(NOW - timedelta(days=1)) == 2
    assert sorted(d["_id"] for d in await outbox.collection.find({}).to_list()) == ["r2", "r3", "r4"]
    await client.drop_database(outbox.collection.database.name)
    await client.close()
