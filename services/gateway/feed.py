"""The event feed: a consumer of every event topic stores each event once (by event id) in
the gateway's MongoDB `feed` collection as a CloudEvent in JSON form (the protobuf body
converted with the catalogue), with a monotonic sequence number (`_id`) and its
visibility (public, regions) from visibility.classify. The pull feed and the webhook
delivery read it. One ingesting process per deployment (the delivery worker) keeps the
sequence in commit order."""

import asyncio
import base64
import binascii

from aiokafka import AIOKafkaConsumer
from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.common import contracts, errors, kafka, logs
from services.common.envelope import Envelope
from services.gateway import visibility

COLLECTION = "feed"


async def create_indexes(db) -> None:
    await db[COLLECTION].create_index("event_id", unique=True)
    await db[COLLECTION].create_index([("public", 1), ("_id", 1)])


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"feed:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, seq = text.partition(":")
        if prefix != "feed" or not seq.isdigit():
            raise ValueError
        return int(seq)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise errors.InvalidInput("the cursor is not one this feed returned", "after") from None


def cloudevent(envelope: Envelope, data: dict, seq: int) -> dict:
    return {"specversion": "1.0", "id": envelope.id, "source": envelope.source, "type": envelope.type,
            "subject": envelope.subject, "time": envelope.time.isoformat().replace("+00:00", "Z"),
            "datacontenttype": "application/json", "sequence": encode_cursor(seq), "data": data}


async def last_seq(db) -> int:
    doc = await db["counters"].find_one({"_id": COLLECTION})
    return int(doc["seq"]) if doc else 0


async def store(db, envelope: Envelope, topic: str) -> int | None:
    """Store one event; returns its sequence, or None when it was stored before."""
    if await db[COLLECTION].find_one({"event_id": envelope.id}, {"_id": 1}):
        return None
    contract = contracts.catalogue().get(envelope.type)
    try:
        data = contracts.to_dict(contract.message.FromString(envelope.data)) if contract else {}
    except Exception:  # noqa: BLE001 - keep the event, flag the body
        data = {"undecodable": True}
    public, regions = visibility.classify(envelope.type, data)
    counter = await db["counters"].find_one_and_update({"_id": COLLECTION}, {"$inc": {"seq": 1}}, upsert=True,
                                                       return_document=ReturnDocument.AFTER)
    seq = int(counter["seq"])
    try:
        await db[COLLECTION].insert_one({
            "_id": seq, "event_id": envelope.id, "type": envelope.type, "topic": topic, "key": envelope.subject,
            "time": envelope.time, "public": public, "all_regions": regions is None, "regions": regions or [],
            "event": cloudevent(envelope, data, seq)})
    except DuplicateKeyError:
        return None
    return seq


class FeedIngester:
    def __init__(self, settings, db, on_stored=None):
        self.settings, self.db, self.on_stored = settings, db, on_stored
        self.log = logs.get("feed")

    async def run(self) -> None:
        await kafka.ensure_topics(self.settings.kafka, None)
        consumer = AIOKafkaConsumer(*contracts.topics(), group_id=f"{self.settings.service_name}.feed",
                                    enable_auto_commit=False, auto_offset_reset="earliest",
                                    **self.settings.kafka.client_options())
        await consumer.start()
        try:
            while True:
                batches = await consumer.getmany(timeout_ms=500, max_records=200)
                for records in batches.values():
                    for record in records:
                        await self.ingest(record)
                if batches:
                    await consumer.commit()
        finally:
            await consumer.stop()

    async def ingest(self, record) -> None:
        try:
            envelope = Envelope.from_record(record.key, record.value, record.headers)
        except ValueError as exc:
            self.log.warning("feed.skipped_undecodable", topic=record.topic, offset=record.offset, error=str(exc))
            return
        while True:
            try:
                seq = await store(self.db, envelope, record.topic)
                break
            except Exception as exc:  # noqa: BLE001 - Mongo down: wait, never skip an event
                self.log.warning("feed.store_failed", error=str(exc))
                await asyncio.sleep(1)
        if seq is not None and self.on_stored:
            self.on_stored()
