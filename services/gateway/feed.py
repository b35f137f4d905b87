"""The event feed: a consumer of every event topic stores each event once (by event id) in
the gateway's MongoDB `feed` collection as a CloudEvent in JSON form (the protobuf body
converted with the catalogue), with a monotonic sequence number (served as the CloudEvents
Sequence extension `sequence`, zero-padded to 20 digits so that comparing two as strings
orders them, and as the feed cursor; that string is also the `_id`: a numeric `_id` makes the
embedded server read the whole collection on every insert) and its
visibility (public, regions) as the owning service decided it (the `bthaudience`
attribute, visibility.audience). The pull feed and the webhook
delivery read it. One ingesting process per deployment (the delivery worker) keeps the
sequence in commit order (feed_ingest.py). Poison (not a CloudEvent of ours, an unknown
type, a body that does not decode) is never stored, so never served."""

import base64
import binascii

from pymongo import ReturnDocument, UpdateOne
from pymongo.errors import BulkWriteError

from services.common import contracts, errors
from services.common.envelope import Envelope
from services.common.plain import rfc3339
from services.gateway import visibility

COLLECTION = "feed"
REKEYED = "feed_string_keys"


async def create_indexes(db) -> None:
    await db[COLLECTION].create_index("event_id", unique=True)
    await db[COLLECTION].create_index([("public", 1), ("_id", 1)])
    await _rekey(db)


async def _rekey(db) -> None:
    """Events stored with a numeric `_id` (before it was the sequence string) get the string
    one, each in its own transaction, once per database (a mark in `counters`); every gateway
    replica and the delivery process run it at start-up, so a moved event is skipped."""
    if await db["counters"].find_one({"_id": REKEYED}):
        return
    async for doc in db[COLLECTION].find({"_id": {"$type": "number"}}):
        async def move(session, doc=doc):   # another replica starting at once may have moved it
            if (await db[COLLECTION].delete_one({"_id": doc["_id"]}, session=session)).deleted_count:
                await db[COLLECTION].insert_one(doc | {"_id": key(doc["_id"])}, session=session)
        async with db.client.start_session() as session:
            await session.with_transaction(move)
    await db["counters"].update_one({"_id": REKEYED}, {"$set": {"at": "string-sequence"}}, upsert=True)


def key(seq: int) -> str:
    """The `_id` of the event stored as `seq` (for `$gt` queries: after `seq`)."""
    return encode_cursor(seq)


def seq_of(doc: dict) -> int:
    return int(doc["_id"])


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
    return doc["event"] | {"sequence": encode_cursor(seq_of(doc))}


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


async def store(db, events: list[tuple[Envelope, str, dict]]) -> list[int | None]:
    """Store a batch of decoded events `(envelope, topic, data)` in their order, with three
    round trips whatever its size (which are stored already, one block of sequences, one bulk
    write); returns each one's sequence, or None where it was stored before."""
    ids = [envelope.id for envelope, _, _ in events]
    first_at = {}
    for n, event_id in enumerate(ids):
        first_at.setdefault(event_id, n)
    known = {d["event_id"] async for d in db[COLLECTION].find({"event_id": {"$in": ids}}, {"event_id": 1})}
    new = [e for n, e in enumerate(events) if first_at[e[0].id] == n and e[0].id not in known]
    if not new:
        return [None] * len(events)
    counter = await db["counters"].find_one_and_update({"_id": COLLECTION}, {"$inc": {"seq": len(new)}},
                                                       upsert=True, return_document=ReturnDocument.AFTER)
    first = int(counter["seq"]) - len(new) + 1
    seqs = {envelope.id: first + i for i, (envelope, _, _) in enumerate(new)}
    try:   # upserts that only insert: the embedded server's insert reads the whole collection
        await db[COLLECTION].bulk_write([UpdateOne({"_id": key(seqs[e.id])}, {"$setOnInsert": _document(
            e, topic, data, seqs[e.id])}, upsert=True) for e, topic, data in new], ordered=True)
    except BulkWriteError as exc:   # another ingester stored one meanwhile: the ones before it are in
        done = exc.details.get("nUpserted", 0)
        rest = new[done + 1:]
        seqs = {e.id: seqs[e.id] for e, _, _ in new[:done]} | dict(
            zip((e.id for e, _, _ in rest), await store(db, rest), strict=True))
    return [seqs.get(event_id) if first_at[event_id] == n else None for n, event_id in enumerate(ids)]


def _document(envelope: Envelope, topic: str, data: dict, seq: int) -> dict:
    public, regions = visibility.audience(envelope.audience)   # decided by the service that owns the data
    return {"event_id": envelope.id, "type": envelope.type, "topic": topic, "key": envelope.subject,
            "time": envelope.time, "public": public, "all_regions": False, "regions": regions,
            "event": cloudevent(envelope, data, seq)}
