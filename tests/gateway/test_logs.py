"""Logs of a real gateway process (LOG_FORMAT=json): every line it writes, uvicorn's own
lines and tracebacks included, is one JSON object; every request has its access line (method,
route template, status, duration, principal, request id); a 500 names its request id in the
problem body and the header, and its log line (with the traceback) carries the same id."""

import asyncio
import json
import uuid

import httpx

from tests.gateway.logging_gateway import BOOM, GatewayProcess
from tests.support.identity import bearer


async def test_every_line_is_json_with_access_lines_and_the_request_id_of_a_500(platform):
    async with GatewayProcess(platform) as gw:
        who = bearer(f"log-{uuid.uuid4().hex[:6]}", "org-logs", "BEIJING", "institution")
        async with httpx.AsyncClient(base_url=gw.url, timeout=10) as c:
            assert (await c.get("/api/v1/me", headers=who | {"x-request-id": "rid-me-1"})).status_code == 200
            assert (await c.get("/api/v1/me")).status_code == 401
            boom = await c.get(BOOM, headers={"x-request-id": "rid-boom-1"})
        assert boom.status_code == 500 and boom.headers["x-request-id"] == "rid-boom-1"
        assert boom.json() | {"detail": ""} == {
            "type": "https://bth.example.org/problems/internal-error", "title": "Internal error", "status": 500,
            "detail": "", "instance": BOOM, "request_id": "rid-boom-1"}
        _, writer = await asyncio.open_connection("127.0.0.1", gw.port)   # not HTTP: uvicorn logs a warning
        writer.write(b"\x16\x03\x01 not http\r\n\r\n")
        await writer.drain()
        writer.close()
        await asyncio.sleep(0.3)   # let the process write the line before it is told to stop
    out = gw.output
    lines = [line for line in out.decode().splitlines() if line.strip()]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            raise AssertionError(f"not JSON: {line!r}\n(whole output:\n{out.decode()[-4000:]})") from None
    assert all({"event", "level", "timestamp", "service"} <= r.keys() for r in records), records
    access = {(r["route"], r["status"]): r for r in records if r["event"] == "http.request"}
    me = access[("/api/v1/me", 200)]
    assert me["method"] == "GET" and me["request_id"] == "rid-me-1" and me["principal"].startswith("log-")
    assert me["duration_ms"] >= 0 and access[("/api/v1/me", 401)]["principal"] == ""
    assert access[(BOOM, 500)]["request_id"] == "rid-boom-1"
    errors = [r for r in records if r["level"] == "error" and r.get("request_id") == "rid-boom-1"]
    assert errors and all("RuntimeError: a bug the gateway did not expect" in r["exception"] for r in errors)
    uvicorn = [r for r in records if r.get("logger", "").startswith("uvicorn")]
    assert any(r["event"] == "Invalid HTTP request received." and r["level"] == "warning" for r in uvicorn)
    assert any("Uvicorn running on" in r["event"] for r in uvicorn)
