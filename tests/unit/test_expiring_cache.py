"""The bounded, expiring cache behind the token checks, and what the internal identity
tokens gain from it: a caller reuses its token, a service skips a signature it checked."""

import time

import pytest

from services.common import internal_auth
from services.common.expiring import ExpiringCache
from services.common.identity import Principal

KEY = "k" * 40
WHO = Principal("u-1", "org-1", "BEIJING", frozenset({"institution"}))


def test_entries_expire_and_the_least_recently_used_goes_first():
    cache = ExpiringCache(max_entries=2)
    cache.put("a", 1, until=10.0)
    cache.put("b", 2, until=20.0)
    assert (cache.get("a", 5.0), cache.get("b", 5.0)) == (1, 2)
    assert cache.get("a", 10.0) is None and len(cache) == 1   # expired at its end, and dropped
    cache.put("a", 1, until=30.0)
    assert cache.get("b", 6.0) == 2   # b is now the most recently used
    cache.put("c", 3, until=30.0)
    assert (cache.get("a", 7.0), cache.get("b", 7.0), cache.get("c", 7.0), len(cache)) == (None, 2, 3, 2)


def test_a_caller_reuses_its_internal_token_and_a_service_trusts_only_its_own_key():
    first = dict(internal_auth.metadata(WHO, KEY))[internal_auth.HEADER]
    assert dict(internal_auth.metadata(WHO, KEY))[internal_auth.HEADER] == first
    other = Principal("u-2", "org-1", "BEIJING", frozenset({"institution"}))
    assert dict(internal_auth.metadata(other, KEY))[internal_auth.HEADER] != first
    assert internal_auth.verify(first, KEY) == WHO
    assert internal_auth.verify(first, KEY) == WHO   # the second time from the cache
    with pytest.raises(internal_auth.Unauthenticated, match="InvalidSignature"):
        internal_auth.verify(first, "x" * 40)   # a token checked under one key proves nothing under another
    expired = internal_auth.sign(WHO, KEY, now=time.time() - 3600)
    for _ in range(2):
        with pytest.raises(internal_auth.Unauthenticated, match="ExpiredSignature"):
            internal_auth.verify(expired, KEY)
