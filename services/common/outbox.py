"""Transactional outbox (states: pending → published, or failed with attempts, then
published): events are written in the same transaction as the state; the relay (relay.py)
publishes them, so an outage or a crash between commit and publish loses nothing."""

import asyncio

from bson import ObjectId
from pymongo import ASCENDING

from services.common import contracts, inbox, logs, tracing
from services.common.clock import Clock
from services.common.envelope import Envelope, new_event_id

PENDING, PUBLISHED, FAILED = "pending", "published", "failed"


class Outbox:
    def __init__(self, db, source: str, clock: Clock, audience=None):
        self.collection = db["outbox"]
        self.source = source
        self.clock = clock
        self.audience = audience   # (aggregate, event) -> partner regions, decided by the owning service
        self.wakeup = asyncio.Event()

    async def create_indexes(self) -> None:
        await self.collection.create_index([("state", ASCENDING), ("_id", ASCENDING)])
        await self.collection.create_index([("state", ASCENDING), ("published_at", ASCENDING)])
        await self.collection.create_index("event_id", unique=True)
        await inbox.create_indexes(self.collection.database)   # the consumers' inbox lives in the same database

    async def add(self, events, package: str, session) -> list[str]:
        """Write the events' records in `session`'s transaction; returns their event ids."""
        now = self.clock.now()
        ids = []
        for aggregate, event in events:
            contract = contracts.contract_for(event, package)
            message = contracts.to_message(contracts.to_plain(event), contract.message)
            key = str(getattr(event, contract.key_field, "") or aggregate.entity_id)
            ids.append(new_event_id())
            regions = self.audience(aggregate, event) if self.audience else None
            # an upsert that only inserts: mongoeco's own insert_one reads its whole collection
            await self.collection.update_one({"_id": ObjectId()}, {"$setOnInsert": {
                "event_id": ids[-1], "type": contract.type,
                "topic": contract.topic, "key": key, "source": self.source, "time": now,
                "data": message.SerializeToString(), "trace_id": logs.request_id.get(),
                "traceparent": tracing.current_traceparent(),
                "state": PENDING, "attempts": 0, "created_at": now,
            } | ({"audience": list(regions)} if regions is not None else {})}, upsert=True, session=session)
        return ids

    async def written(self, event_id: str) -> bool:
        """Is the record committed? (Outside any transaction: for a commit whose result is unknown.)"""
        return await self.collection.find_one({"event_id": event_id}, {"_id": 1}) is not None

    async def republish_since(self, since) -> int:
        """Published records from `since` on become pending again (the broker lost them);
        consumers dedupe by event id, so a record that did arrive is not applied twice."""
        result = await self.collection.update_many(
            {"state": PUBLISHED, "published_at": {"$gte": since}},
            {"$set": {"state": PENDING, "replayed_at": self.clock.now()}})
        return result.modified_count

    async def purge_published_before(self, moment) -> int:
        """Delete the records published before `moment`; returns how many."""
        result = await self.collection.delete_many({"state": PUBLISHED, "published_at": {"$lt": moment}})
        return result.deleted_count

    def notify(self) -> None:
        self.wakeup.set()


def envelope_of(record: dict) -> Envelope:
    return Envelope(id=record["event_id"], type=record["type"], source=record["source"],
                    subject=record["key"], time=record["time"], data=bytes(record["data"]),
                    trace_id=record.get("trace_id", ""), traceparent=record.get("traceparent", ""),
                    audience=tuple(record["audience"]) if "audience" in record else None)
