"""Login throttling for POST /oauth/token: failed logins are counted per account and per
client address in moving windows (the `limits` library, in process memory). Each key has
several tiers (e.g. `5/minute;20/hour`), so the wait grows as failures go on (back-off):
after 5 failures an account waits up to a minute, after 20 up to an hour. While any tier of
the account or the address is exhausted every attempt is refused with 429 and
`Retry-After`, the right password too. A successful login clears the account's counts
(not the address's). With several gateway replicas each counts its own share."""

import math
import time
from dataclasses import dataclass

from limits import parse_many
from limits.strategies import MovingWindowRateLimiter

from services.gateway.ratelimit import QuietMemoryStorage


@dataclass
class Locked:
    scope: str            # "account" or "address"
    retry_after: int      # seconds until the exhausted window lets an attempt through


class LoginThrottle:
    def __init__(self, account_limits: str, address_limits: str):
        self.tiers = {"account": parse_many(account_limits), "address": parse_many(address_limits)}
        self.limiter = MovingWindowRateLimiter(QuietMemoryStorage())

    def _keys(self, account: str, address: str) -> dict[str, str]:
        return {"account": account.strip().lower()[:200], "address": address}

    def locked(self, account: str, address: str) -> Locked | None:
        """The lock that refuses this attempt now, if any (the longest wait wins)."""
        worst = None
        for scope, key in self._keys(account, address).items():
            for tier in self.tiers[scope]:
                if not self.limiter.test(tier, "login", scope, key):
                    reset = self.limiter.get_window_stats(tier, "login", scope, key).reset_time
                    wait = max(1, math.ceil(reset - time.time()))
                    if worst is None or wait > worst.retry_after:
                        worst = Locked(scope, wait)
        return worst

    def failed(self, account: str, address: str) -> None:
        for scope, key in self._keys(account, address).items():
            for tier in self.tiers[scope]:
                self.limiter.hit(tier, "login", scope, key)

    def succeeded(self, account: str) -> None:
        key = self._keys(account, "")["account"]
        for tier in self.tiers["account"]:
            self.limiter.clear(tier, "login", "account", key)
