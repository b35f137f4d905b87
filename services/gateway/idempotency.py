"""Idempotent POSTs. With an `Idempotency-Key` header, a POST's response is stored per
principal and key in MongoDB (`idempotency`): the same key with the same body replays the
stored response (`Idempotent-Replayed: true`) and writes nothing again; the same key with
another body is 422. The first request holds a lease (IDEMPOTENCY_LEASE_SECONDS): a retry
while the lease runs gets 409 with Retry-After; after it (the gateway crashed mid-request)
the retry takes the lease over and is processed. 5xx responses are not stored (the client
may retry). Every store operation has a time limit (IDEMPOTENCY_STORE_TIMEOUT_SECONDS): a
stalled or failing store answers 503 with Retry-After, never hangs. Records are claimed by
upsert (mongoeco's own insert_one reads its whole collection) and expire by the gateway
itself (`sweep_forever`, every IDEMPOTENCY_SWEEP_SECONDS): the embedded server has no TTL monitor."""

import asyncio
import hashlib
from datetime import timedelta

from pymongo.errors import DuplicateKeyError, PyMongoError

from services.common import logs

NOT_STORED = (401, 408, 409, 429)
DROPPED_HEADERS = (b"x-request-id", b"ratelimit", b"ratelimit-policy")


class StoreUnavailable(Exception):
    pass


async def bounded(awaitable, seconds: float):
    """Await a store operation within `seconds`; a timeout or store failure is StoreUnavailable
    (DuplicateKeyError passes: it is an answer)."""
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except TimeoutError:
        raise StoreUnavailable(f"the gateway store did not answer within {seconds:g}s") from None
    except DuplicateKeyError:
        raise
    except PyMongoError as exc:  # "database is locked", a dead client's transaction, a lost primary...
        raise StoreUnavailable(f"the gateway store failed ({type(exc).__name__})") from None


def fingerprint(path: str, query: bytes, body: bytes) -> str:
    return hashlib.sha256(path.encode() + b"\n" + (query or b"") + b"\n" + body).hexdigest()


class Conflict(Exception):
    """A refusal to answer instead of running the request: (status, kind, title, detail, retry_after)."""


async def claim(col, record_id: str, fp: str, now, settings) -> dict | None:
    """Take the key for this request (returns None), or return the stored record to replay;
    raises Conflict (409 running, 422 reused) or StoreUnavailable."""
    timeout = settings.idempotency_store_timeout_seconds
    lease = timedelta(seconds=settings.idempotency_lease_seconds)
    for _ in range(3):
        try:
            claimed = await bounded(col.update_one({"_id": record_id}, {"$setOnInsert": {
                "fingerprint": fp, "state": "running", "created_at": now, "lease_until": now + lease,
                "expires_at": now + timedelta(seconds=settings.idempotency_ttl_seconds)}}, upsert=True), timeout)
            if claimed.upserted_id is not None:
                return None
        except DuplicateKeyError:   # a concurrent claim of the same key
            pass
        stored = await bounded(col.find_one({"_id": record_id}), timeout)
        if stored is None:
            continue
        if stored["expires_at"] <= now:
            await bounded(col.delete_one({"_id": record_id, "expires_at": stored["expires_at"]}), timeout)
            continue
        if stored["fingerprint"] != fp:
            raise Conflict(422, "idempotency-key-reused", "Idempotency-Key reused",
                           "this Idempotency-Key was used with a different request; use a new key", None)
        if stored["state"] == "done":
            return stored
        held = stored.get("lease_until") or stored["created_at"] + lease
        if held > now:
            raise Conflict(409, "idempotency-in-progress", "Request in progress",
                           "a request with this Idempotency-Key is still running",
                           max(1, int((held - now).total_seconds() + 0.999)))
        taken = await bounded(col.find_one_and_update(
            {"_id": record_id, "state": "running", "lease_until": stored.get("lease_until")},
            {"$set": {"lease_until": now + lease, "taken_over_at": now}}), timeout)
        if taken is None:  # another retry took it first
            raise Conflict(409, "idempotency-in-progress", "Request in progress",
                           "a request with this Idempotency-Key is still running", 1)
        logs.get("gateway").warning("idempotency.lease_taken_over", started=str(stored["created_at"]))
        return None
    raise StoreUnavailable("the idempotency record kept changing")


async def sweep(col, now) -> int:
    """Delete the records expired at `now`; returns how many."""
    return (await col.delete_many({"expires_at": {"$lte": now}})).deleted_count


async def sweep_forever(col, clock, settings) -> None:
    while True:
        try:
            await bounded(sweep(col, clock.now()), settings.idempotency_store_timeout_seconds * 5)
        except StoreUnavailable as exc:
            logs.get("gateway").warning("idempotency.sweep_failed", error=str(exc))
        await asyncio.sleep(settings.idempotency_sweep_seconds)


async def finish(col, record_id: str, status: int, headers: list, body: bytes, settings) -> None:
    """Store the response (or free the key); a failure here only logs: the lease frees the key."""
    timeout = settings.idempotency_store_timeout_seconds
    try:
        if status < 500 and status not in NOT_STORED:
            kept = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers if k.lower() not in DROPPED_HEADERS]
            await bounded(col.update_one({"_id": record_id}, {"$set": {
                "state": "done", "status": status, "headers": kept, "body": body}}), timeout)
        else:
            await bounded(col.delete_one({"_id": record_id}), timeout)
    except StoreUnavailable as exc:
        logs.get("gateway").warning("idempotency.finish_failed", error=str(exc),
                                    hint="the key is freed when its lease ends")
