"""Webhook subscriptions and deliveries (Standard Webhooks 1.0).

A subscription (URL, event types, a `whsec_` secret shown once) belongs to the partner
that created it and sees what its region may see (visibility.py). The delivery worker fans
each feed event out to matching subscriptions as `deliveries` (one per subscription and
event), then POSTs them as CloudEvents (JSON) signed with `webhook-id`, `webhook-timestamp`
and `webhook-signature`, connecting only to addresses egress.py allows. A failed attempt
is retried with exponential backoff and full jitter until the retry horizon (default 24 h)
has passed; then the delivery is `failed`. Per entity (subscription + event subject)
deliveries go out strictly in feed order: a later one waits while an earlier one is pending."""

import base64
import random
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from pymongo import UpdateOne
from pymongo.errors import BulkWriteError

from services.common import contracts, errors
from services.common.plain import rfc3339
from services.gateway import egress, feed, visibility

SUBSCRIPTIONS, DELIVERIES = "webhook_subscriptions", "webhook_deliveries"
DUPLICATE_KEY = 11000


async def create_indexes(db) -> None:
    await db[SUBSCRIPTIONS].create_index([("owner", 1), ("created_at", 1)])
    await db[DELIVERIES].create_index([("state", 1), ("seq", 1)])
    await db[DELIVERIES].create_index([("subscription_id", 1), ("created_at", 1)])
    await db[DELIVERIES].create_index([("state", 1), ("next_attempt_at", 1)])   # the next retry due


# --- pure rules -------------------------------------------------------------------------

def retry_at(attempts: int, first_attempt_at: datetime, now: datetime, base: float, cap: float,
             horizon: float, rnd: random.Random | None = None) -> datetime | None:
    """When to try again after `attempts` failed attempts (exponential backoff, full jitter
    in [delay/2, delay]); None once the retry horizon from the first attempt is passed."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    delay = (rnd or random).uniform(delay / 2, delay)
    at = now + timedelta(seconds=delay)
    return None if (at - first_attempt_at).total_seconds() > horizon else at


async def check_url(url: str, settings) -> str:
    """Refuse targets that are not http(s), or whose addresses are not allowed (egress.py)."""
    parts = urlsplit(url)
    errors.require(parts.scheme in ("http", "https"), "the webhook URL must use http or https", "url")
    errors.require(bool(parts.hostname), "the webhook URL needs a host", "url")
    errors.require(not parts.username and not parts.password, "no credentials in the webhook URL", "url")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise errors.InvalidInput("the webhook URL has an invalid port", "url") from None
    await egress.check_host(parts.hostname, port, settings)
    return url


def check_types(types: list[str]) -> list[str]:
    known = set(contracts.catalogue())
    errors.require(bool(types), "name at least one event type, or \"*\" for all", "event_types")
    unknown = sorted(t for t in types if t != "*" and t not in known)
    errors.require(not unknown, f"unknown event type(s) {unknown}; see GET /api/v1/asyncapi.json", "event_types")
    return sorted(set(types))


def public_subscription(doc: dict, secret: bool = False) -> dict:
    out = {"subscription_id": doc["_id"], "url": doc["url"], "event_types": doc["event_types"],
           "description": doc.get("description", ""), "active": doc["active"], "owner": doc["owner"],
           "region": doc["region"], "created_at": rfc3339(doc["created_at"])}
    return out | ({"secret": doc["secret"]} if secret else {})


def public_delivery(doc: dict) -> dict:
    return {"delivery_id": doc["_id"], "subscription_id": doc["subscription_id"], "event_id": doc["event_id"],
            "event_type": doc["type"], "subject": doc["key"], "sequence": feed.encode_cursor(doc["seq"]),
            "state": doc["state"], "attempts": doc["attempts"], "last_status": doc.get("last_status"),
            "last_error": doc.get("last_error", ""), "created_at": rfc3339(doc["created_at"]),
            "next_attempt_at": rfc3339(doc["next_attempt_at"]) if doc.get("next_attempt_at") else None,
            "delivered_at": rfc3339(doc["delivered_at"]) if doc.get("delivered_at") else None}


# --- store ------------------------------------------------------------------------------

async def subscribe(db, now: datetime, who, url: str, event_types: list[str], description: str) -> dict:
    doc = {"_id": "sub_" + secrets.token_hex(8), "owner": who.subject, "organisation": who.organisation,
           "region": who.region, "operator": "operator" in who.roles, "url": url, "event_types": event_types,
           "description": description, "secret": "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
           "active": True, "start_seq": await feed.last_seq(db), "created_at": now}
    await db[SUBSCRIPTIONS].insert_one(doc)
    return doc


async def owned(db, who, subscription_id: str) -> dict:
    doc = await db[SUBSCRIPTIONS].find_one({"_id": subscription_id})
    if doc is None or (doc["owner"] != who.subject and "operator" not in who.roles):
        raise errors.NotFound(f"subscription {subscription_id} does not exist", "subscription_id")
    return doc


def delivery(sub: dict, event_doc: dict, now: datetime, delivery_id: str) -> UpdateOne:
    """The write that queues one delivery: an upsert that only inserts (mongoeco's own
    insert_one reads the whole collection), so a delivery queued twice is queued once."""
    return UpdateOne({"_id": delivery_id}, {"$setOnInsert": {
        "subscription_id": sub["_id"], "owner": sub["owner"], "seq": feed.seq_of(event_doc),
        "event_id": event_doc["event_id"], "type": event_doc["type"], "key": event_doc["key"],
        "state": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now,
        "first_attempt_at": None}}, upsert=True)


async def enqueue(db, sub: dict, event_doc: dict, now: datetime, delivery_id: str) -> bool:
    return await enqueue_all(db, [delivery(sub, event_doc, now, delivery_id)]) == 1


async def enqueue_all(db, writes: list[UpdateOne]) -> int:
    """Queue the deliveries in one round trip; returns how many were new (a concurrent upsert of the
    same `_id` is a duplicate key: queued already)."""
    if not writes:
        return 0
    try:
        return (await db[DELIVERIES].bulk_write(writes, ordered=False)).upserted_count
    except BulkWriteError as error:
        if any(e.get("code") != DUPLICATE_KEY for e in error.details.get("writeErrors", [])):
            raise
        return error.details.get("nUpserted", 0)


async def redeliver(db, sub: dict, deliveries: list[dict], now: datetime) -> list[str]:
    ids = []
    for d in deliveries:
        event_doc = await db[feed.COLLECTION].find_one({"_id": feed.key(d["seq"])})
        new_id = f"{sub['_id']}:{d['seq']}:r{secrets.token_hex(4)}"
        if event_doc and await enqueue(db, sub, event_doc, now, new_id):
            ids.append(new_id)
    return ids


def matches(sub: dict, event_doc: dict) -> bool:
    if "*" not in sub["event_types"] and event_doc["type"] not in sub["event_types"]:
        return False
    return visibility.visible(event_doc["public"], None if event_doc["all_regions"] else event_doc["regions"],
                              sub["region"], sub.get("operator", False))
