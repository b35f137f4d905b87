"""Abuse: bad input the gateway itself must refuse with one exact 4xx problem, never a 5xx
(issue 12 item 8, gateway side): bad request ids, oversized or garbage feed cursors, very
long path ids, raw UTF-8 in the URL. (401 titles: test_abuse_login.)"""

import asyncio
import base64
import re
from urllib.parse import urlsplit

import httpx

from tests.support.identity import INSTITUTION, bearer

PROBLEMS = "https://bth.example.org/problems/"
PARTNER = bearer("partner-bad-input", "org-tianjin", "TIANJIN", "partner")


def _cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def test_bad_request_ids_are_replaced_not_500(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        for given in ("ü-café".encode(), b"a\tb", b"with space", b"\x7f\x01", b"x" * 129 + "é".encode()):
            r = await c.get("/api/v1/achievements/no-such-achievement", headers={**INSTITUTION, "X-Request-Id": given})
            assert r.status_code == 404 and r.json()["type"] == PROBLEMS + "not-found", given   # reached gRPC
            assert re.fullmatch(r"[0-9a-f]{32}", r.headers["x-request-id"]), given            # a generated id
        kept = await c.get("/api/v1/me", headers={**INSTITUTION, "X-Request-Id": "partner-trace:42/a_b"})
        assert kept.headers["x-request-id"] == "partner-trace:42/a_b"


async def test_bad_feed_cursors_are_400_naming_the_cursor(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        for cursor in (_cursor("feed:" + "9" * 30), _cursor("feed:9223372036854775808000"), _cursor("feed:١٢"),
                       _cursor("feed:-1"), _cursor("other:1"), "%%%", "not-base64!", "9" * 20, "-" + "1" * 19):
            r = await c.get("/api/v1/events", headers=PARTNER, params={"after": cursor})
            assert r.status_code == 400, (cursor, r.text)
            assert (r.json()["type"], r.json()["field"]) == (PROBLEMS + "invalid-input", "after"), cursor
        r = await c.get("/api/v1/events", headers=PARTNER, params={"after": "x" * 101})
        assert r.status_code == 422 and r.json()["field"] == "query.after"


async def test_very_long_path_ids_are_400_naming_the_parameter(platform):
    long = "a" * 20_000
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        for path, field in ((f"/api/v1/achievements/{long}", "achievement_id"),
                            (f"/api/v1/procurement/products/{long}", "product_id"),
                            (f"/api/v1/webhooks/{long}", "subscription_id"),
                            (f"/api/v1/no-such-thing/{long}", "path")):
            r = await c.get(path, headers=INSTITUTION)
            assert r.status_code == 400, (field, r.text[:200])
            assert r.headers["content-type"] == "application/problem+json"
            assert (r.json()["type"], r.json()["field"]) == (PROBLEMS + "invalid-input", field)
            assert r.headers["x-request-id"]
        ok = await c.get("/api/v1/achievements/" + "a" * 256, headers=INSTITUTION)
        assert ok.status_code == 404                         # up to the limit the service answers


async def test_raw_utf8_in_the_url_is_a_problem_json_400(platform):
    url = urlsplit(platform.gateway_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port)
    try:
        writer.write("GET /api/v1/achievements/中文 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        await writer.drain()
        raw = await asyncio.wait_for(reader.read(), 10)
    finally:
        writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"content-type: application/problem+json" in head.lower()
    assert b'"type": "https://bth.example.org/problems/malformed-request"' in body


async def test_an_over_long_value_echoed_by_a_service_is_not_a_429(platform):
    body = {"title": "面向5G基站的低功耗射频芯片", "abstract": "a", "field": "x" * 20_000, "type": "patent", "trl": 6,
            "keywords": ["5G"], "transfer_modes": ["licence"], "indicative_price": "1.00"}
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
        r = await c.post("/api/v1/achievements", headers=INSTITUTION, json=body)
    # 422 once the request model limits the field; until then the gateway maps gRPC's refusal
    assert (r.status_code, r.json()["type"]) in ((400, PROBLEMS + "invalid-input"),
                                                 (422, PROBLEMS + "validation-error"))
    assert "metadata" not in r.text


async def test_what_fuzzing_found_is_a_4xx_naming_the_field(platform):
    """Schemathesis over the OpenAPI document (issue 12) found these 500s and a 502 with
    exception text; each is now one 4xx problem naming the field, and nothing was written."""
    operator = bearer("op-fuzz", "org-platform", "BEIJING", "operator")
    station = bearer("st-fuzz", "org-st-fuzz", "HEBEI", "station")
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        r = await c.get("/api/v1/incubation/stations/ranking", params={"year": 13828484254498}, headers=operator)
        assert (r.status_code, r.json()["field"]) == (422, "query.year"), r.text
        r = await c.post("/api/v1/incubation/stations/no-such-station/reports", headers=station, json={
            "services_delivered": 220921150492728805556224, "enterprises_served": 1, "year": 2025,
            "achievements_landed": 1})
        assert (r.status_code, r.json()["field"]) == (422, "services_delivered"), r.text
        r = await c.post("/api/v1/packages", headers=operator, json={"field": "", "title": "0"})
        assert (r.status_code, r.json()["type"], r.json()["field"]) == (400, PROBLEMS + "invalid-input", "field")
        assert "TypeError" not in r.text
        r = await c.post("/api/v1/procurement/products/no-such-product/first-set", headers=operator, json={
            "own_ip": True, "major_breakthrough": True, "units_sold_in_region": 34997585025, "note": "x"})
        assert (r.status_code, r.json()["field"]) == (422, "units_sold_in_region"), r.text
        r = await c.post("/api/v1/annual-reports", headers=INSTITUTION, json={   # past protobuf's int32: a 500
            "year": 2025, "income": "1.00", "researcher_rewards": "0.50",
            "people_involved": -14503268196177081614587242366369792})
        assert (r.status_code, r.json()["field"]) == (422, "people_involved"), r.text
        lone_surrogate = b'{"own_ip": true, "major_breakthrough": true, "units_sold_in_region": 1, "note": "\\ud9a2"}'
        r = await c.post("/api/v1/procurement/products/no-such-product/first-set", content=lone_surrogate,
                         headers={**operator, "Content-Type": "application/json"})
        assert (r.status_code, r.json()["field"]) == (422, "note"), r.text
