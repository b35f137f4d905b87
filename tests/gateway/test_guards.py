"""Idempotent POSTs, per-principal rate limits, the request size limit, request ids."""

import uuid

import httpx

from tests.gateway.receiver import gateway_mongo
from tests.support.identity import bearer


async def test_idempotency_key_replays_and_writes_once(platform):
    operator = bearer(f"op-idem-{uuid.uuid4().hex[:6]}", "org-platform", "BEIJING", "operator")
    username = f"idem-{uuid.uuid4().hex[:8]}"
    body = {"username": username, "password": "a-long-passphrase", "organisation": "org-a", "region": "HEBEI",
            "roles": ["enterprise"]}
    key = {"Idempotency-Key": uuid.uuid4().hex}
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        first = await c.post("/api/v1/accounts/users", headers=operator | key, json=body)
        again = await c.post("/api/v1/accounts/users", headers=operator | key, json=body)
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json() and again.headers["idempotent-replayed"] == "true"
        db = platform_db(platform)
        assert await db["accounts"].count_documents({"_id": username}) == 1
        other = await c.post("/api/v1/accounts/users", headers=operator | key, json={**body, "region": "TIANJIN"})
        assert other.status_code == 422 and other.json()["type"].endswith("/idempotency-key-reused")
        # the key is per principal: another operator's same key is a new request (conflict: exists)
        other_op = bearer(f"op-idem2-{uuid.uuid4().hex[:6]}", "org-platform", "BEIJING", "operator")
        r = await c.post("/api/v1/accounts/users", headers=other_op | key, json=body)
        assert r.status_code == 409
        # without a key, a retry is a second write attempt
        assert (await c.post("/api/v1/accounts/users", headers=operator, json=body)).status_code == 409


def platform_db(platform):
    from pymongo import AsyncMongoClient
    return AsyncMongoClient(gateway_mongo(platform), tz_aware=True, directConnection=True)["gateway"]


async def test_rate_limit_per_principal_is_429_with_headers(platform):
    busy = bearer(f"busy-{uuid.uuid4().hex[:6]}", "org-p", "TIANJIN", "partner")
    calm = bearer(f"calm-{uuid.uuid4().hex[:6]}", "org-p", "TIANJIN", "partner")
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        first = await c.get("/api/v1/me", headers=busy)
        assert first.headers["ratelimit-policy"] == '"default";q=300;w=60'
        assert first.headers["ratelimit"].startswith('"default";r=299;t=')
        statuses = [(await c.get("/api/v1/me", headers=busy)).status_code for _ in range(299)]
        assert statuses == [200] * 299
        limited = await c.get("/api/v1/me", headers=busy)
        assert limited.status_code == 429, limited.text
        assert limited.json()["type"].endswith("/rate-limited")
        assert int(limited.headers["retry-after"]) >= 1 and '"default";r=0;' in limited.headers["ratelimit"]
        assert (await c.get("/api/v1/me", headers=calm)).status_code == 200   # per principal


async def test_oversized_body_is_413_and_every_response_has_a_request_id(platform):
    operator = bearer("op-size", "org-platform", "BEIJING", "operator")
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        r = await c.post("/api/v1/accounts/users", headers=operator, content=b"x" * (1_048_576 + 1),
                         )
        assert r.status_code == 413 and r.json()["type"].endswith("/payload-too-large")
        assert r.headers["x-request-id"]
        async def chunks():
            for _ in range(20):
                yield b"y" * 65536
        chunked = await c.post("/api/v1/accounts/users", headers=operator, content=chunks())
        assert chunked.status_code == 413
        r = await c.get("/api/v1/me", headers={"x-request-id": "trace-me-123"})
        assert r.status_code == 401 and r.headers["x-request-id"] == "trace-me-123"
