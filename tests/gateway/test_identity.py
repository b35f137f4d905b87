"""Accounts and the OAuth2 token endpoint through real HTTP: the password grant, the
client_credentials grant (Basic and form), secret rotation, disabling; bad tokens → 401."""

import base64
import time
import uuid

import httpx
import jwt

from services.gateway.keys import generate_pem
from tests.gateway.receiver import gateway_mongo
from tests.support.identity import bearer, claims_for, token

OPERATOR = bearer("op-identity", "org-platform", "BEIJING", "operator")


def _name(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


async def _token(client: httpx.AsyncClient, **form) -> httpx.Response:
    return await client.post("/api/v1/oauth/token", data=form)


async def test_password_grant_issues_a_short_lived_token_bound_to_org_and_region(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        username = _name("li")
        r = await c.post("/api/v1/accounts/users", headers=OPERATOR, json={
            "username": username, "password": "a-long-passphrase", "organisation": "org-tsinghua",
            "region": "BEIJING", "roles": ["institution"]})
        assert r.status_code == 201, r.text
        assert "password" not in r.json() and "password_hash" not in r.json()
        r = await _token(c, grant_type="password", username=username, password="a-long-passphrase")
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["token_type"] == "Bearer" and body["expires_in"] == 900
        header = jwt.get_unverified_header(body["access_token"])
        assert header["alg"] == "EdDSA" and header["kid"] == "test-key-1"
        jwks = (await c.get("/.well-known/jwks.json")).json()
        assert [k["kid"] for k in jwks["keys"]] == ["test-key-1"]
        me = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
        assert me.json() == {"subject": username, "organisation": "org-tsinghua", "region": "BEIJING",
                             "roles": ["institution"]}
        wrong = await _token(c, grant_type="password", username=username, password="not-the-password")
        assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
        assert wrong.headers["content-type"] == "application/problem+json"
        r = await c.post(f"/api/v1/accounts/{username}/disable", headers=OPERATOR)
        assert r.status_code == 200 and r.json()["disabled"] is True
        disabled = await _token(c, grant_type="password", username=username, password="a-long-passphrase")
        assert disabled.status_code == 400 and disabled.json()["error"] == "invalid_grant"
        odd = await _token(c, grant_type="implicit")
        assert odd.status_code == 400 and odd.json()["error"] == "unsupported_grant_type"


async def test_client_credentials_grant_and_secret_rotation(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        client_id = _name("tj")
        r = await c.post("/api/v1/accounts/clients", headers=OPERATOR, json={
            "client_id": client_id, "organisation": "org-tianjin-platform", "region": "TIANJIN"})
        assert r.status_code == 201, r.text
        first = r.json()["client_secret"]
        assert r.json()["roles"] == ["partner"]
        basic = base64.b64encode(f"{client_id}:{first}".encode()).decode()
        r = await c.post("/api/v1/oauth/token", data={"grant_type": "client_credentials"},
                         headers={"Authorization": f"Basic {basic}"})
        assert r.status_code == 200, r.text
        claims = jwt.decode(r.json()["access_token"], options={"verify_signature": False})
        assert (claims["sub"], claims["org"], claims["region"], claims["roles"]) == \
            (client_id, "org-tianjin-platform", "TIANJIN", ["partner"])
        r = await c.post(f"/api/v1/accounts/clients/{client_id}/rotate-secret", headers=OPERATOR)
        second = r.json()["client_secret"]
        assert r.status_code == 200 and second != first
        for secret in (first, second):   # the previous secret stays valid for the grace period
            r = await _token(c, grant_type="client_credentials", client_id=client_id, client_secret=secret)
            assert r.status_code == 200, r.text
        bad = await _token(c, grant_type="client_credentials", client_id=client_id, client_secret="guess")
        assert bad.status_code == 401 and bad.json()["error"] == "invalid_client"
        assert bad.headers["www-authenticate"].startswith("Basic")
        dup = await c.post("/api/v1/accounts/clients", headers=OPERATOR, json={
            "client_id": client_id, "organisation": "org-tianjin-platform", "region": "TIANJIN"})
        assert dup.status_code == 409 and dup.json()["field"] == "client_id"
        bad_region = await c.post("/api/v1/accounts/clients", headers=OPERATOR, json={
            "client_id": _name("x"), "organisation": "org-x", "region": "SHANGHAI"})
        assert bad_region.status_code == 400 and bad_region.json()["field"] == "region"


async def test_bad_tokens_are_401_problems(platform):
    good = claims_for("someone", "org-a", "BEIJING", "institution")
    other_key = generate_pem("EdDSA")
    cases = {
        "tampered": token(good)[:-4] + "AAAA",
        "expired": token({**good, "iat": int(time.time()) - 600, "exp": int(time.time()) - 60}),
        "wrong audience": token({**good, "aud": "another-api"}),
        "wrong issuer": token({**good, "iss": "https://evil.example"}),
        "foreign key": jwt.encode(good, other_key, algorithm="EdDSA", headers={"kid": "test-key-1"}),
        "unknown kid": jwt.encode(good, other_key, algorithm="EdDSA", headers={"kid": "nope"}),
        "alg none": jwt.encode(good, None, algorithm="none"),
        "hs256": jwt.encode(good, "x" * 32, algorithm="HS256", headers={"kid": "test-key-1"}),
        "no exp": token({k: v for k, v in good.items() if k != "exp"}),
        "typ JWT (not an access token, RFC 9068)": token(good, headers={"typ": "JWT"}),
        "no typ": token(good, headers={"typ": None}),
        "garbage": "not-a-jwt",
    }
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        ok = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {token(good)}"})
        assert ok.status_code == 200
        for name, value in cases.items():
            r = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {value}"})
            assert r.status_code == 401, name
            assert r.headers["content-type"] == "application/problem+json", name
            assert r.json()["type"].endswith("/unauthenticated"), name
            assert r.headers["x-request-id"], name
        missing = await c.get("/api/v1/me")
        assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"


async def test_demo_seed_gives_working_credentials(platform):
    from pymongo import AsyncMongoClient

    from services.gateway import seed
    from services.gateway.settings import GatewaySettings

    client = AsyncMongoClient(gateway_mongo(platform), tz_aware=True, directConnection=True)
    try:
        lines = await seed.seed_demo(client["gateway"], GatewaySettings())
        assert await seed.seed_demo(client["gateway"], GatewaySettings()) == lines   # idempotent
    finally:
        await client.close()
    assert any("tianjin-partner" in line for line in lines) and any("hebei-partner" in line for line in lines)
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        for username, *_ in seed.USERS:
            r = await _token(c, grant_type="password", username=username, password=seed.dev_password(username))
            assert r.status_code == 200, username
        for client_id, _, region in seed.CLIENTS:
            r = await _token(c, grant_type="client_credentials", client_id=client_id,
                             client_secret=seed.dev_secret(client_id))
            me = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
            assert me.json()["region"] == region and me.json()["roles"] == ["partner"]
