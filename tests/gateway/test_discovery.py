"""OAuth discovery and the access-token profile through real HTTP: RFC 8414 metadata (also at
the OpenID discovery address), tokens verified by an independent JOSE library (joserfc)
against the JWKS the metadata names, RFC 9068 header and claims, the OAuth2 scheme in
OpenAPI, Swagger UI and ReDoc served without a CDN, and a dev key kept in DEV_DATA_DIR so a
restarted gateway accepts the tokens the previous one issued."""

import base64
import re
import uuid

import httpx
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet
from pymongo import AsyncMongoClient

from services import devrun
from services.gateway.settings import GatewaySettings
from tests.gateway.receiver import gateway_mongo
from tests.support.identity import bearer
from tests.support.platform import second_gateway

OPERATOR = bearer("op-discovery", "org-platform", "BEIJING", "operator")
RFC9068_CLAIMS = {"iss", "exp", "aud", "sub", "client_id", "iat", "jti"}


async def _account(c: httpx.AsyncClient) -> str:
    username = f"disc-{uuid.uuid4().hex[:8]}"
    r = await c.post("/api/v1/accounts/users", headers=OPERATOR, json={
        "username": username, "password": "a-long-passphrase", "organisation": "org-disc", "region": "HEBEI",
        "roles": ["enterprise"]})
    assert r.status_code == 201, r.text
    return username


def _verify(token: str, jwks: dict, settings: GatewaySettings) -> tuple[dict, dict]:
    """Header and claims of `token`, checked by joserfc (not the PyJWT the gateway signs with)."""
    decoded = jose_jwt.decode(token, KeySet.import_key_set(jwks), algorithms=[settings.jwt_algorithm])
    jose_jwt.JWTClaimsRegistry(iss={"essential": True, "value": settings.jwt_issuer},
                               aud={"essential": True, "value": settings.jwt_audience},
                               exp={"essential": True}, iat={"essential": True}, sub={"essential": True},
                               jti={"essential": True}, client_id={"essential": True}).validate(decoded.claims)
    return decoded.header, decoded.claims


async def test_metadata_names_the_token_endpoint_and_keys_that_verify_issued_tokens(platform):
    settings = GatewaySettings()
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        meta = (await c.get("/.well-known/oauth-authorization-server")).json()
        assert (await c.get("/.well-known/openid-configuration")).json() == meta
        assert meta == {
            "issuer": settings.jwt_issuer, "token_endpoint": f"{platform.gateway_url}/api/v1/oauth/token",
            "jwks_uri": f"{platform.gateway_url}/.well-known/jwks.json",
            "grant_types_supported": ["password", "client_credentials"], "response_types_supported": [],
            "scopes_supported": ["api"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "revocation_endpoint": f"{platform.gateway_url}/api/v1/oauth/revoke",
            "revocation_endpoint_auth_methods_supported": ["none"],
            "service_documentation": f"{platform.gateway_url}/docs"}
        jwks = (await c.get(meta["jwks_uri"])).json()
        username = await _account(c)
        r = await c.post(meta["token_endpoint"], data={"grant_type": "password", "username": username,
                                                       "password": "a-long-passphrase"})
        assert r.status_code == 200 and r.json()["scope"] == "api", r.text
        header, claims = _verify(r.json()["access_token"], jwks, settings)
        assert header["typ"] == "at+jwt" and header["kid"] == "test-key-1" and header["alg"] == "EdDSA"
        assert RFC9068_CLAIMS <= set(claims)
        assert (claims["sub"], claims["client_id"], claims["scope"], claims["region"]) == \
            (username, "bth-public", "api", "HEBEI")
        assert claims["exp"] - claims["iat"] == settings.access_token_ttl_seconds

        client_id = f"disc-client-{uuid.uuid4().hex[:6]}"
        created = await c.post("/api/v1/accounts/clients", headers=OPERATOR, json={
            "client_id": client_id, "organisation": "org-tianjin-platform", "region": "TIANJIN"})
        basic = base64.b64encode(f"{client_id}:{created.json()['client_secret']}".encode()).decode()
        r = await c.post(meta["token_endpoint"], data={"grant_type": "client_credentials", "scope": "api"},
                         headers={"Authorization": f"Basic {basic}"})
        _, claims = _verify(r.json()["access_token"], jwks, settings)
        assert (claims["sub"], claims["client_id"], claims["roles"]) == (client_id, client_id, ["partner"])
        odd = await c.post(meta["token_endpoint"], data={"grant_type": "client_credentials", "scope": "admin"},
                           headers={"Authorization": f"Basic {basic}"})
        assert odd.status_code == 400 and odd.json()["error"] == "invalid_scope"


async def test_a_revoked_token_is_refused_and_the_others_of_the_account_are_not(platform):
    """RFC 7009: the holder revokes one token (a sign-out); it is 401 at once, the same person's
    other token goes on working, and the endpoint answers 200 {} for tokens it cannot read too."""
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        username = await _account(c)
        tokens = []
        for _ in range(2):
            r = await c.post("/api/v1/oauth/token", data={"grant_type": "password", "username": username,
                                                          "password": "a-long-passphrase"})
            tokens.append(r.json()["access_token"])
        signed_out, other = ({"Authorization": f"Bearer {t}"} for t in tokens)
        assert (await c.get("/api/v1/me", headers=signed_out)).status_code == 200
        r = await c.post("/api/v1/oauth/revoke", data={"token": tokens[0], "token_type_hint": "access_token"})
        assert (r.status_code, r.json()) == (200, {})
        refused = await c.get("/api/v1/me", headers=signed_out)
        assert refused.status_code == 401 and "revoked" in refused.json()["detail"], refused.text
        assert (await c.get("/api/v1/me", headers=other)).status_code == 200
        for junk in ("not-a-token", tokens[0]):   # unknown, and revoked again: 200, nothing else changes
            r = await c.post("/api/v1/oauth/revoke", data={"token": junk})
            assert (r.status_code, r.json()) == (200, {})
        assert (await c.get("/api/v1/me", headers=other)).status_code == 200
        subject = (await c.get("/api/v1/me", headers=other)).json()["subject"]
    mongo = AsyncMongoClient(gateway_mongo(platform), tz_aware=True, directConnection=True)
    try:
        stored = await mongo[GatewaySettings().database]["revoked_tokens"].find({"subject": subject}).to_list()
    finally:
        await mongo.close()
    assert len(stored) == 1 and stored[0]["expires_at"] > stored[0]["revoked_at"]   # kept until it would expire


async def test_openapi_offers_oauth2_sign_in_and_docs_load_nothing_from_elsewhere(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        doc = (await c.get("/openapi.json")).json()
        flows = doc["components"]["securitySchemes"]["OAuth2"]["flows"]
        assert flows["password"]["tokenUrl"] == flows["clientCredentials"]["tokenUrl"] == "/api/v1/oauth/token"
        assert flows["password"]["scopes"].keys() == {"api"}
        assert {"OAuth2": []} in doc["paths"]["/api/v1/me"]["get"]["security"]
        pages = (("/docs", {"swagger-ui-bundle.js", "swagger-ui.css"}), ("/redoc", {"redoc.standalone.js"}))
        for page, assets in pages:
            html = (await c.get(page)).text
            urls = set(re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html))
            assert urls and all(u.startswith("/") for u in urls), (page, urls)   # same origin only
            for name in assets:
                asset = await c.get(f"/docs/assets/{name}")
                assert asset.status_code == 200 and len(asset.content) > 100_000, name


async def test_a_dev_key_kept_in_the_data_dir_outlives_a_gateway_restart(platform, tmp_path):
    key = devrun._token_key(tmp_path)
    assert devrun._token_key(tmp_path) == key and (tmp_path / "jwt-eddsa-dev-key.pem").stat().st_mode & 0o077 == 0
    own = {"jwt_private_key": key, "jwt_key_id": ""}
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        username = await _account(c)
    async with second_gateway(platform, **own) as url, httpx.AsyncClient(base_url=url, timeout=10) as c:
        r = await c.post("/api/v1/oauth/token", data={"grant_type": "password", "username": username,
                                                      "password": "a-long-passphrase"})
        issued = r.json()["access_token"]
    # the first gateway has stopped; a new one reads the same key file
    async with second_gateway(platform, **own) as url, httpx.AsyncClient(base_url=url, timeout=10) as c:
        me = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {issued}"})
        assert me.status_code == 200 and me.json()["subject"] == username
    async with second_gateway(platform, jwt_private_key="", jwt_key_id="") as url, \
            httpx.AsyncClient(base_url=url, timeout=10) as c:   # a key made at start-up: the token dies
        assert (await c.get("/api/v1/me", headers={"Authorization": f"Bearer {issued}"})).status_code == 401
