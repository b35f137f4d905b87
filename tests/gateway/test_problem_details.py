"""RFC 9457 problem details and the headers around them, through real HTTP: `instance` is the
request path, each type has one title, a body that is not JSON names `body` (not a character
offset as the field), the rate-limit headers are on refusals (4xx) as on successes, and CORS
is off by default and answers an allowed origin's preflight with 204."""

import uuid
from collections import defaultdict

import httpx

from services.gateway.problems import BASE, TITLES
from tests.support.identity import bearer
from tests.support.platform import second_gateway

RATE_HEADERS = ("ratelimit", "ratelimit-policy")


def _who(role: str = "institution") -> dict:
    return bearer(f"pd-{role}-{uuid.uuid4().hex[:6]}", "org-problems", "BEIJING", role)


async def test_problems_name_their_instance_one_title_per_type_and_carry_rate_limit_headers(platform):
    who, operator = _who(), _who("operator")
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        answers = {
            "no token": await c.get("/api/v1/me"),
            "bad token": await c.get("/api/v1/me", headers={"Authorization": "Bearer nope"}),
            "role": await c.post("/api/v1/accounts/users", headers=who, json={}),
            "not found (service)": await c.get("/api/v1/achievements/no-such-id", headers=who),
            "not found (other)": await c.get("/api/v1/achievements/成果 1", headers=operator),
            "no route": await c.get("/api/v1/nowhere", headers=who),
            "method": await c.put("/api/v1/me", headers=who),
            "bad JSON": await c.post("/api/v1/achievements", headers=who | {"content-type": "application/json"},
                                     content=b'{"title": '),
            "invalid": await c.post("/api/v1/achievements", headers=who, json={"title": 5}),
            "invalid (other)": await c.post("/api/v1/achievements", headers=who, json={"trl": "x"}),
            "bad grant": await c.post("/api/v1/oauth/token", data={"grant_type": "password", "username": "nobody",
                                                                    "password": "not-a-password"}),
        }
    titles = defaultdict(set)
    for name, r in answers.items():
        assert r.headers["content-type"] == "application/problem+json", name
        problem = r.json()
        kind = problem["type"].removeprefix(BASE)
        titles[kind].add(problem["title"])
        assert problem["title"] == TITLES[kind] and problem["status"] == r.status_code, name
        assert problem["instance"] == r.request.url.raw_path.decode().split("?")[0], name   # percent-encoded
    assert answers["not found (other)"].json()["instance"] == "/api/v1/achievements/%E6%88%90%E6%9E%9C%201"
    assert all(len(t) == 1 for t in titles.values()), titles
    assert {kind: answers[name].status_code for name, kind in (
        ("role", "forbidden"), ("not found (service)", "not-found"), ("bad JSON", "validation-error"),
        ("method", "method-not-allowed"))} == {"forbidden": 403, "not-found": 404, "validation-error": 422,
                                               "method-not-allowed": 405}
    bad_json = answers["bad JSON"].json()
    assert bad_json["field"] == "body" and "not valid JSON" in bad_json["detail"]
    assert "character 10" in bad_json["detail"]
    assert answers["invalid"].json()["field"] == "title"
    # an authenticated caller's refusals (a body that is not JSON is refused before the token is read)
    for name in ("role", "not found (service)", "invalid", "invalid (other)"):
        assert all(h in answers[name].headers for h in RATE_HEADERS), name
        assert answers[name].headers["ratelimit-policy"] == '"default";q=300;w=60'


async def test_cors_is_off_by_default_and_follows_the_configured_origins(platform):
    preflight = {"Origin": "https://partner.example", "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"}
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        r = await c.options("/api/v1/achievements", headers=preflight)
        assert r.status_code == 405 and "access-control-allow-origin" not in r.headers
    async with second_gateway(platform, cors_allow_origins="https://partner.example, https://ops.example") as url, \
            httpx.AsyncClient(base_url=url, timeout=10) as c:
        r = await c.options("/api/v1/achievements", headers=preflight)
        assert r.status_code == 204 and r.content == b"", r.text
        assert r.headers["access-control-allow-origin"] == "https://partner.example"
        assert {"POST", "DELETE"} <= set(r.headers["access-control-allow-methods"].replace(" ", "").split(","))
        assert {"authorization", "idempotency-key"} <= {
            h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
        assert "access-control-allow-credentials" not in r.headers and r.headers["x-request-id"]
        other = await c.options("/api/v1/achievements", headers=preflight | {"Origin": "https://evil.example"})
        assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
        assert other.json()["type"].endswith("/cors-refused")
        me = await c.get("/api/v1/me", headers=_who() | {"Origin": "https://ops.example"})
        assert me.status_code == 200 and me.headers["access-control-allow-origin"] == "https://ops.example"
        exposed = {h.strip().lower() for h in me.headers["access-control-expose-headers"].split(",")}
        assert {"x-request-id", "ratelimit", "ratelimit-policy", "retry-after"} <= exposed
