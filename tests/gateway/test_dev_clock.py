"""The development clock (issue 13): the offset file every process reads, and the operator
endpoint that moves it. Off (404) unless DEV_CLOCK_FILE is set (the session platform has none);
the walk from draft to registered on a `make run` instance is in tests/platform."""

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from services.common import dev_clock
from tests.support.identity import INSTITUTION, bearer
from tests.support.platform import second_gateway

OPERATOR = bearer("dev-clock-operator", "org-platform", "BEIJING", "operator")
PROBLEMS = "https://bth.example.org/problems/"


def test_offset_clock_follows_its_file_and_only_moves_forward(tmp_path):
    path = tmp_path / "clock.json"
    clock = dev_clock.OffsetClock(path)
    assert clock.offset() == timedelta(0)                                # no file: real time
    assert dev_clock.advance(path, timedelta(days=31)) == timedelta(days=31)
    assert clock.offset() == timedelta(days=31)
    assert abs(clock.now() - datetime.now(UTC) - timedelta(days=31)) < timedelta(seconds=5)
    assert dev_clock.advance(path, timedelta(hours=2)) == timedelta(days=31, hours=2)
    assert clock.offset() == timedelta(days=31, hours=2)                 # re-read after the change
    for bad in (timedelta(0), timedelta(seconds=-1), timedelta(days=401)):
        with pytest.raises(ValueError):
            dev_clock.advance(path, bad)
    assert dev_clock.read_offset(path) == timedelta(days=31, hours=2)    # refused steps changed nothing


async def test_the_endpoint_is_refused_when_the_clock_is_off(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        for r in (await c.get("/api/v1/dev/clock", headers=OPERATOR),
                  await c.post("/api/v1/dev/clock", headers=OPERATOR, json={"days": 31})):
            assert r.status_code == 404, r.text
            assert r.json()["type"] == PROBLEMS + "not-found" and "DEV_CLOCK_FILE" in r.json()["detail"]


async def test_an_operator_moves_the_clock_and_the_sweeps_run(platform, tmp_path):
    path = tmp_path / "clock.json"
    async with second_gateway(platform, dev_clock_file=str(path)) as url, \
            httpx.AsyncClient(base_url=url, timeout=30) as c:
        assert (await c.get("/api/v1/dev/clock", headers=OPERATOR)).json()["offset_seconds"] == 0
        assert (await c.post("/api/v1/dev/clock", headers=INSTITUTION, json={"days": 1})).status_code == 403
        for bad, field in (({"days": 401}, "days"), ({"hours": 24}, "hours"), ({"days": -1}, "days"),
                           ({"weeks": 1}, "weeks")):
            r = await c.post("/api/v1/dev/clock", headers=OPERATOR, json=bad)
            assert r.status_code == 422 and r.json()["field"] == field, r.text
        r = await c.post("/api/v1/dev/clock", headers=OPERATOR, json={})
        assert r.status_code == 400
        assert dev_clock.read_offset(path) == timedelta(0)              # refused: nothing moved
        r = await c.post("/api/v1/dev/clock", headers=OPERATOR, json={"days": 2, "hours": 3})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["offset_seconds"] == (2 * 24 + 3) * 3600
        assert body["deferred"] == []          # none met its service busy (no timers contend here)
        assert set(body["applied"]) == {"notices_concluded", "contracts_breached", "reports_missing",
                                        "obligations_overdue", "listings_expired", "cases_escalated"}
        assert dev_clock.read_offset(path) == timedelta(days=2, hours=3)
