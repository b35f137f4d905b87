"""The event feed: a consumer of every event topic stores each event once (by event id) in
the gateway's MongoDB `feed` collection as a CloudEvent in JSON form (the protobuf body
converted with the catalogue), with a monotonic sequence number (`_id`; served as the
CloudEvents Sequence extension `sequence`, zero-padded to 20 digits so that comparing two
as strings orders them, and as the feed cursor) and its
visibility (public, regions) as the owning service decided it (the `bthaudience`
attribute, visibility.audience). The pull feed and the webhook
delivery read it. One ingesting process per deployment (the delivery worker) keeps the
sequence in commit order (feed_ingest.py). Poison (not a CloudEvent of ours, an unknown
type, a body that does not decode) is never stored, so never served."""

import base64
import binascii

from pymongo import ReturnDocument
from pymongo.errors import DuplicateKeyError

from services.common import contracts, errors
from services.common.envelope import Envelope
from services.common.plain import rfc3339
from services.gateway import visibility

COLLECTION = "feed"


async def create_indexes(db) -> None:
    await db[COLLECTION].create_index("event_id", unique=True)
    await db[COLLECTION].create_index([("public", 1), ("_id", 1)])


SEQUENCE_DIGITS = 20   # an int64 has at most 19


def encode_cursor(seq: int) -> str:
    """The `sequence` of the event stored as `seq`, also the cursor to resume after it."""
    return f"{seq:0{SEQUENCE_DIGITS}d}"


def decode_cursor(cursor: str, field: str = "cursor") -> int:
    """A sequence (or the base64 `feed:<n>` cursor this feed returned before) → its number."""
    if not cursor:
        return 0
    if len(cursor) == SEQUENCE_DIGITS and cursor.isascii() and cursor.isdigit() and int(cursor) < 2**63:
        return int(cursor)   # an int64 in BSON
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, seq = text.partition(":")
        if prefix != "feed" or not (seq.isascii() and seq.isdigit()) or len(seq) > 18:   # an int64 in BSON
            raise ValueError
        return int(seq)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise errors.InvalidInput("the cursor is not one this feed returned", field) from None


def served(doc: dict) -> dict:
    """The stored CloudEvent as served (its sequence from the stored number: events stored
    before the sequence was zero-padded are served in the new form too)."""
    return doc["event"] | {"sequence": encode_cursor(doc["_id"])}


def cloudevent(envelope: Envelope, data: dict, seq: int) -> dict:
    return {"specversion": "1.0", "id": envelope.id, "source": envelope.source, "type": envelope.type,
            "subject": envelope.subject, "time": rfc3339(envelope.time),
            "datacontenttype": "application/json", "sequence": encode_cursor(seq), "data": data,
            **({"traceparent": envelope.traceparent} if envelope.traceparent else {})}


async def last_seq(db) -> int:
    doc = await db["counters"].find_one({"_id": COLLECTION})
    return int(doc["seq"]) if doc else 0


class Poison(ValueError):
    """A record the feed refuses; `reason` labels the metric (unknown-type, corrupt-body)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


def decode(envelope: Envelope) -> dict:
    """The event body as JSON; raises Poison for an unknown type or a corrupt body."""
    contract = contracts.catalogue().get(envelope.type)
    if contract is None:
        raise Poison("unknown-type", f"no contract for type {envelope.type!r}")
    try:
        return contracts.to_dict(contract.message.FromString(envelope.data))
    except Exception as exc:  # noqa: BLE001 - protobuf raises DecodeError and others
        raise Poison("corrupt-body", f"{envelope.type} body does not decode: {exc}") from None


async def store(db, envelope: Envelope, topic: str) -> int | None:
    """Store one event; returns its sequence, or None when it was stored before. Raises
    Poison (nothing stored) for a record the feed must not serve."""
    data = decode(envelope)
    if await db[COLLECTION].find_one({"event_id": envelope.id}, {"_id": 1}):
        return None
    public, regions = visibility.audience(envelope.audience)   # decided by the service that owns the data
    counter = await db["counters"].find_one_and_update({"_id": COLLECTION}, {"$inc": {"seq": 1}}, upsert=True,
                                                       return_document=ReturnDocument.AFTER)
    seq = int(counter["seq"])
    try:   # an upsert that only inserts: the embedded server's insert_one reads the whole collection
        added = await db[COLLECTION].update_one({"_id": seq}, {"$setOnInsert": {
            "event_id": envelope.id, "type": envelope.type, "topic": topic, "key": envelope.subject,
            "time": envelope.time, "public": public, "all_regions": False, "regions": regions,
            "event": cloudevent(envelope, data, seq)}}, upsert=True)
    except DuplicateKeyError:
        return None
    return seq if added.upserted_id is not None else None
