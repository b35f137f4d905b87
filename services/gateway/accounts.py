"""Accounts in the gateway's MongoDB: people (username + argon2id password hash) and
machine clients of partner systems (client id + rotating secrets, kept as SHA-256 of a
256-bit random secret; after a rotation the previous secret stays valid for a grace
period). Each account is bound to one organisation, one region and its roles.

Passwords are hashed off the event loop (passwords.py). `token_version` counts revocations:
disabling an account or rotating a client's secret increments it; tokens carry the version
they were issued with (`ver`), and revocation.py refuses older ones on every request."""

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from pymongo.errors import DuplicateKeyError

from services.common import errors
from services.common.plain import rfc3339
from services.common.vocab import REGIONS
from services.gateway import passwords
from services.gateway.access import ROLES

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
COLLECTION = "accounts"


def _check(account_id: str, organisation: str, region: str, roles: list[str]) -> None:
    errors.require(bool(NAME.match(account_id)), "use 3-64 of a-z 0-9 . _ - (starting with a letter or digit)",
                   "username")
    errors.require(bool(organisation.strip()), "an organisation is required", "organisation")
    errors.require(region in REGIONS, f"region must be one of {', '.join(REGIONS)}", "region")
    errors.require(bool(roles), "at least one role is required", "roles")
    unknown = sorted(set(roles) - set(ROLES))
    errors.require(not unknown, f"unknown role(s) {unknown}; known: {sorted(ROLES)}", "roles")


def public(doc: dict) -> dict:
    return {"account_id": doc["_id"], "kind": doc["kind"], "display_name": doc.get("display_name", ""),
            "organisation": doc["organisation"], "region": doc["region"], "roles": doc["roles"],
            "disabled": doc.get("disabled", False), "created_at": rfc3339(doc["created_at"]),
            "updated_at": rfc3339(doc["updated_at"])}


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_indexes(db) -> None:
    await db[COLLECTION].create_index([("kind", 1), ("organisation", 1)])


async def create_user(db, now: datetime, username: str, password: str, organisation: str, region: str,
                      roles: list[str], display_name: str = "") -> dict:
    _check(username, organisation, region, roles)
    errors.require(len(password) >= 10, "a password has at least 10 characters", "password")
    doc = {"_id": username, "kind": "user", "display_name": display_name, "organisation": organisation,
           "region": region, "roles": sorted(set(roles)), "disabled": False, "token_version": 0,
           "password_hash": await passwords.hash_password(password), "created_at": now, "updated_at": now}
    try:
        await db[COLLECTION].insert_one(doc)
    except DuplicateKeyError:
        raise errors.Conflict(f"account {username} exists already", "username") from None
    return public(doc)


async def create_client(db, now: datetime, client_id: str, organisation: str, region: str,
                        roles: list[str], display_name: str = "", secret: str | None = None) -> tuple[dict, str]:
    _check(client_id, organisation, region, roles)
    secret = secret or "cs_" + secrets.token_urlsafe(32)
    doc = {"_id": client_id, "kind": "client", "display_name": display_name, "organisation": organisation,
           "region": region, "roles": sorted(set(roles)), "disabled": False, "token_version": 0,
           "secrets": [{"hash": _secret_hash(secret), "created_at": now, "expires_at": None}],
           "created_at": now, "updated_at": now}
    try:
        await db[COLLECTION].insert_one(doc)
    except DuplicateKeyError:
        raise errors.Conflict(f"account {client_id} exists already", "client_id") from None
    return public(doc), secret


async def rotate_secret(db, now: datetime, client_id: str, grace_seconds: int) -> tuple[dict, str]:
    doc = await get(db, client_id)
    errors.require(doc["kind"] == "client", "only machine clients have secrets", "client_id")
    secret = "cs_" + secrets.token_urlsafe(32)
    kept = [{**s, "expires_at": s["expires_at"] or now + timedelta(seconds=grace_seconds)}
            for s in doc["secrets"] if s["expires_at"] is None or s["expires_at"] > now]
    new = [{"hash": _secret_hash(secret), "created_at": now, "expires_at": None}, *kept][:3]
    await db[COLLECTION].update_one({"_id": client_id}, {"$set": {"secrets": new, "updated_at": now},
                                                         "$inc": {"token_version": 1}})   # live tokens die
    return public({**doc, "updated_at": now}), secret


async def set_disabled(db, now: datetime, account_id: str, disabled: bool) -> dict:
    doc = await get(db, account_id)
    revoke = disabled and not doc.get("disabled", False)   # live tokens die; enabling revives none
    update = {"$set": {"disabled": disabled, "updated_at": now}} | ({"$inc": {"token_version": 1}} if revoke else {})
    await db[COLLECTION].update_one({"_id": account_id}, update)
    return public({**doc, "disabled": disabled, "updated_at": now})


async def get(db, account_id: str) -> dict:
    doc = await db[COLLECTION].find_one({"_id": account_id})
    if doc is None:
        raise errors.NotFound(f"account {account_id} does not exist", "account_id")
    return doc


async def check_password(db, username: str, password: str) -> dict | None:
    doc = await db[COLLECTION].find_one({"_id": username, "kind": "user"})
    if doc is None:
        await passwords.hash_password(password)   # same work whether or not the user exists
        return None
    if not await passwords.verify(doc["password_hash"], password):
        return None
    return None if doc.get("disabled") else doc


async def check_client(db, now: datetime, client_id: str, secret: str) -> dict | None:
    doc = await db[COLLECTION].find_one({"_id": client_id, "kind": "client"})
    if doc is None or doc.get("disabled"):
        return None
    given = _secret_hash(secret)
    for s in doc["secrets"]:
        live = s["expires_at"] is None or s["expires_at"] > now
        if live and hmac.compare_digest(s["hash"], given):
            return doc
    return None


async def ensure_user(db, now: datetime, username: str, password: str, organisation: str, region: str,
                      roles: list[str], display_name: str = "") -> bool:
    """Create the user unless it exists (bootstrap and seeding); True when created."""
    if await db[COLLECTION].find_one({"_id": username}) is not None:
        return False
    await create_user(db, now, username, password, organisation, region, roles, display_name)
    return True
