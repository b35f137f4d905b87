"""Per-principal rate limits: a moving window (the `limits` library, in process memory; with
several gateway replicas each enforces its share), so any `window` seconds hold at most
`limit` requests wherever the window starts. Headers follow the IETF RateLimit header
fields draft: `RateLimit-Policy: "default";q=<limit>;w=<window>` and
`RateLimit: "default";r=<left>;t=<reset>`, plus `Retry-After` on 429."""

import math
import time
from dataclasses import dataclass, field

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


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
    strategy: MovingWindowRateLimiter = field(default_factory=lambda: MovingWindowRateLimiter(MemoryStorage()))

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
