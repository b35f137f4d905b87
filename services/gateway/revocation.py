"""Token revocation, checked on every request: a token the gateway issued is refused at
once when its account is disabled, when the account's `token_version` (incremented by
disabling it or rotating a client's secret) is newer than the token's `ver` claim, or when
the token itself was revoked (RFC 7009, e.g. a console sign-out: its `jti` is kept in
`revoked_tokens` until the token would have expired). The states are cached for
TOKEN_REVOCATION_CACHE_SECONDS and dropped from the cache as soon as this process changes
them (other replicas see it within the TTL). Tokens of subjects with no account here (an
external OIDC issuer's people) pass."""

import time
from datetime import UTC, datetime

import jwt

from services.gateway import accounts

REVOKED = "revoked_tokens"


class TokenRevoked(jwt.InvalidTokenError):
    """The token was valid but its account was disabled or its credentials rotated."""


class AccountStates:
    def __init__(self, db, ttl: float, clock=time.monotonic, max_entries: int = 50_000):
        self.db, self.ttl, self.clock, self.max_entries = db, ttl, clock, max_entries
        self.cache: dict[str, tuple[float, tuple[bool, int] | None]] = {}   # id -> (until, (disabled, version))

    async def _state(self, account_id: str) -> tuple[bool, int] | None:
        now = self.clock()
        hit = self.cache.get(account_id)
        if hit is not None and hit[0] > now:
            return hit[1]
        doc = await self.db[accounts.COLLECTION].find_one({"_id": account_id}, {"disabled": 1, "token_version": 1})
        if len(self.cache) >= self.max_entries:
            self.cache.clear()
        state = None if doc is None else (bool(doc.get("disabled")), int(doc.get("token_version", 0)))
        self.cache[account_id] = (now + self.ttl, state)
        return state

    async def check(self, claims: dict) -> None:
        """Raise TokenRevoked when the token's account is disabled, the token predates a
        revocation of the account's tokens, or the token itself was revoked."""
        state = await self._state(str(claims["sub"]))
        if state is not None:
            disabled, version = state
            if disabled or int(claims.get("ver", 0)) < version:
                raise TokenRevoked("revoked")
        if await self._revoked(str(claims.get("jti", ""))):
            raise TokenRevoked("revoked")

    async def _revoked(self, jti: str) -> bool:
        now, key = self.clock(), "jti:" + jti
        hit = self.cache.get(key)
        if hit is not None and hit[0] > now:
            return hit[1] is not None
        doc = await self.db[REVOKED].find_one({"_id": jti}, {"_id": 1})
        self.cache[key] = (now + self.ttl, None if doc is None else (True, 0))
        return doc is not None

    async def revoke(self, claims: dict, now: datetime) -> None:
        """Revoke one token until it would have expired (expired revocations are purged here)."""
        expires = datetime.fromtimestamp(int(claims["exp"]), UTC)
        await self.db[REVOKED].update_one({"_id": str(claims["jti"])}, {"$setOnInsert": {
            "subject": str(claims["sub"]), "expires_at": expires, "revoked_at": now}}, upsert=True)
        await self.db[REVOKED].delete_many({"expires_at": {"$lt": now}})
        self.cache["jti:" + str(claims["jti"])] = (self.clock() + self.ttl, (True, 0))

    def forget(self, account_id: str) -> None:
        self.cache.pop(account_id, None)
