"""Per-principal rate limits: a moving window (the `limits` library, in process memory; with
several gateway replicas each enforces its share), so any `window` seconds hold at most
`limit` requests wherever the window starts. Headers follow the IETF RateLimit header
fields draft: `RateLimit-Policy: "default";q=<limit>;w=<window>` and
`RateLimit: "default";r=<left>;t=<reset>`, plus `Retry-After` on 429.

limits' MemoryStorage expires old entries from a `threading.Timer` it starts again whenever the
previous one has fired: below 100 requests/s that is a new thread per request (a profile of 200
GETs: 185 thread starts, ~2 ms each on this machine). `QuietMemoryStorage` keeps the library's
windows and does the same expiry inline, at most once per EXPIRE_EVERY seconds."""

import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

EXPIRE_EVERY = 1.0


class QuietMemoryStorage(MemoryStorage):
    """limits' in-memory storage without a timer thread: expired entries are dropped by the
    next call after EXPIRE_EVERY seconds (the library's own expiry, run inline)."""

    def __init__(self) -> None:
        super().__init__()
        self._expired_at = time.monotonic()

    def _MemoryStorage__schedule_expiry(self) -> None:   # the library calls this on every hit
        now = time.monotonic()
        if now - self._expired_at >= EXPIRE_EVERY:
            self._expired_at = now
            self._MemoryStorage__expire_events()


@dataclass
class Decision:
    allowed: bool
    remaining: int
    reset: int
    headers: dict[str, str]


@dataclass
class RateLimiter:
    limit: int
    window: int
    strategy: MovingWindowRateLimiter = field(
        default_factory=lambda: MovingWindowRateLimiter(QuietMemoryStorage()))

    def __post_init__(self) -> None:
        self.item = RateLimitItemPerSecond(self.limit, self.window)

    def hit(self, key: str) -> Decision:
        allowed = self.strategy.hit(self.item, "principal", key)
        stats = self.strategy.get_window_stats(self.item, "principal", key)
        reset = max(1, math.ceil(stats.reset_time - time.time()))
        headers = {"RateLimit-Policy": f'"default";q={self.limit};w={self.window}',
                   "RateLimit": f'"default";r={stats.remaining};t={reset}'}
        if not allowed:
            headers["Retry-After"] = str(reset)
        return Decision(allowed, stats.remaining, reset, headers)
