"""Per-principal rate limits (fixed window, in process memory; with several gateway
replicas each enforces its share). Headers follow the IETF RateLimit header fields draft:
`RateLimit-Policy: "default";q=<limit>;w=<window>` and `RateLimit: "default";r=<left>;t=<reset>`,
plus `Retry-After` on 429."""

import math
import time
from dataclasses import dataclass, field


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
    clock: object = time.monotonic
    windows: dict[str, tuple[int, int]] = field(default_factory=dict)   # key -> (window index, count)

    def hit(self, key: str) -> Decision:
        now = self.clock()
        index = int(now // self.window)
        current, count = self.windows.get(key, (index, 0))
        if current != index:
            count = 0
        count += 1
        self.windows[key] = (index, count)
        if len(self.windows) > 100_000:   # forget old windows
            self.windows = {k: v for k, v in self.windows.items() if v[0] == index}
        reset = max(1, math.ceil((index + 1) * self.window - now))
        remaining = max(0, self.limit - count)
        headers = {"RateLimit-Policy": f'"default";q={self.limit};w={self.window}',
                   "RateLimit": f'"default";r={remaining};t={reset}'}
        allowed = count <= self.limit
        if not allowed:
            headers["Retry-After"] = str(reset)
        return Decision(allowed, remaining, reset, headers)
