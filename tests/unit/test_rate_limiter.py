"""The gateway's rate limiter (no I/O): the `limits` moving window as before, without a thread
per request, and expired entries still dropped."""

import threading
import time

from services.gateway import ratelimit
from services.gateway.login_throttle import LoginThrottle
from services.gateway.ratelimit import RateLimiter


def test_the_moving_window_is_enforced_without_starting_a_thread_per_request(monkeypatch):
    limiter = RateLimiter(limit=3, window=60)
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self))
    decisions = [limiter.hit("alice") for _ in range(4)] + [limiter.hit("bob")]
    assert [(d.allowed, d.remaining) for d in decisions] == [(True, 2), (True, 1), (True, 0), (False, 0), (True, 2)]
    assert decisions[3].headers["Retry-After"] == decisions[3].headers["RateLimit"].rsplit("t=", 1)[1]
    assert started == []


def test_expired_entries_are_dropped_inline(monkeypatch):
    limiter = RateLimiter(limit=5, window=1)
    storage = limiter.strategy.storage
    for _ in range(3):
        limiter.hit("alice")
    alice, bob = "LIMITER/principal/alice/5/1/second", "LIMITER/principal/bob/5/1/second"
    assert {k: len(v) for k, v in storage.events.items()} == {alice: 3}
    later = time.time() + 5                                             # alice's window has passed
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "monotonic", lambda: later + ratelimit.EXPIRE_EVERY)
    assert limiter.hit("bob").allowed
    assert {k: len(v) for k, v in storage.events.items() if v} == {bob: 1}   # alice's entries dropped on the way


def test_login_throttle_uses_the_same_storage():
    throttle = LoginThrottle("2/minute", "100/minute")
    assert isinstance(throttle.limiter.storage, ratelimit.QuietMemoryStorage)
    throttle.failed("li.wei", "10.0.0.1")
    throttle.failed("li.wei", "10.0.0.1")
    assert throttle.locked("li.wei", "10.0.0.1").scope == "account"
