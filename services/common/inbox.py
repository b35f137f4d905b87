"""The consumers' inbox: one mark per (consumer group, event id), written in the unit of work that
applies the event, so a redelivered event is applied once. Marks are written by upsert (mongoeco's
own insert_one reads its whole collection, docs/performance.md) with the time they
were made, and expire by the platform itself (a server without a TTL monitor keeps them
otherwise): marks older than the topics' retention plus a day, when no record can come again."""

from datetime import datetime, timedelta

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError

COLLECTION = "inbox"


def retention(kafka) -> timedelta | None:
    """How long a mark is kept: the topics' retention plus a day (None: topics keep everything)."""
    retention_ms = getattr(kafka, "topic_retention_ms", -1)
    return None if retention_ms < 0 else timedelta(milliseconds=retention_ms) + timedelta(days=1)


async def mark(db, group: str, event_id: str, event_type: str, now: datetime, session) -> bool:
    """Mark the event applied by the group (in `session`'s transaction); False: it was before."""
    try:
        marked = await db[COLLECTION].update_one(
            {"_id": f"{group}:{event_id}"}, {"$setOnInsert": {"type": event_type, "group": group, "at": now}},
            upsert=True, session=session)
    except DuplicateKeyError:   # a concurrent upsert of the same mark
        return False
    return marked.upserted_id is not None


async def sweep(db, group: str, before: datetime) -> int:
    """Delete the group's marks made before `before`; returns how many."""
    return (await db[COLLECTION].delete_many({"group": group, "at": {"$lt": before}})).deleted_count


async def create_indexes(db) -> None:
    await db[COLLECTION].create_index([("group", ASCENDING), ("at", ASCENDING)])
