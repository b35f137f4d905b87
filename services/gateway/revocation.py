"""Token revocation, checked on every request: a token the gateway issued is refused at
once when its account is disabled, or when the account's `token_version` (incremented by
disabling it or rotating a client's secret) is newer than the token's `ver` claim. The
account's state is cached for TOKEN_REVOCATION_CACHE_SECONDS and dropped from the cache
as soon as this process changes the account (other replicas see it within the TTL).
Tokens of subjects with no account here (an external OIDC issuer's people) pass."""

import time

import jwt

from services.gateway import accounts


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
        """Raise TokenRevoked when the token's account is disabled or the token predates a revocation."""
        state = await self._state(str(claims["sub"]))
        if state is None:
            return
        disabled, version = state
        if disabled or int(claims.get("ver", 0)) < version:
            raise TokenRevoked("revoked")

    def forget(self, account_id: str) -> None:
        self.cache.pop(account_id, None)
