"""A procurement award reaches the registry's live statistics and trading map (through the
AwardMade event on bth.procurement.award.v1): a product listed through REST (apply →
three expert reviews → LISTED), a demand published and awarded by a buyer, and then
`GET /api/v1/trading-map` shows the flow vendor_region → buyer_region for the product's
key field and the award month with exactly one more deal and the exact amount;
`GET /api/v1/statistics` grows by the same. The session is shared, so before/after deltas."""

import asyncio
import uuid
from datetime import datetime, timedelta
from decimal import Decimal

import httpx

from tests.conftest import eventually
from tests.procurement.support import registered_achievement
from tests.support.identity import bearer

BASE = "/api/v1/procurement"
OPERATOR = bearer(f"op-award-stats-{uuid.uuid4().hex[:6]}", "org-platform", "BEIJING", "operator")


def principal(role: str, region: str = "BEIJING", org: str | None = None) -> dict:
    tag = uuid.uuid4().hex[:6]
    return bearer(f"{role}-{tag}", org or f"org-{role}-{tag}", region, role)


def month_of(moment: datetime) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


async def listed_product(c: httpx.AsyncClient, platform, vendor: dict, region: str, field: str, tag: str) -> dict:
    aid = await registered_achievement(platform, f"轨道交通智能运维方法 {tag}", ["轨道交通"], field=field,
                                       region=region)
    r = await c.post(f"{BASE}/products", headers=vendor, json={
        "name": f"轨道交通智能运维平台 {tag}", "category": "advanced-manufacturing",
        "description": "轨道交通 智能运维", "price": "640000.00", "region": region,
        "indicators": [{"name": "故障识别率", "value": "97", "unit": "%"}], "achievement_ids": [aid]})
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "UNDER_REVIEW"
    pid = r.json()["product_id"]
    for score in (70, 85, 90):
        r = await c.post(f"{BASE}/products/{pid}/reviews", json={"score": score, "opinion": "sound"},
                         headers=principal("expert"))
        assert r.status_code == 200, r.text
    product = r.json()
    assert (product["status"], product["field"], product["region"]) == ("LISTED", field, region)
    return product


async def award(c, platform, buyer: dict, region: str, pid: str, amount: str, award_date: datetime,
                tag: str) -> dict:
    deadline = (platform.clock.now() + timedelta(days=30)).isoformat()
    r = await c.post(f"{BASE}/demands", headers=buyer, json={
        "need": f"采购轨道交通智能运维平台 {tag}", "category": "advanced-manufacturing", "budget": "700000.00",
        "deadline": deadline, "region": region})
    assert r.status_code == 201, r.text
    did = r.json()["demand_id"]
    r = await c.post(f"{BASE}/awards", headers=buyer, json={"demand_id": did, "product_id": pid, "amount": amount,
                                                           "award_date": award_date.isoformat()})
    assert r.status_code == 201, r.text
    return r.json()


async def snapshot(c, field: str, month: str, frm: str, to: str) -> dict:
    query = {"field": field, "month_from": month, "month_to": month}
    tm = await c.get("/api/v1/trading-map", headers=OPERATOR, params=query)
    assert tm.status_code == 200, tm.text
    st = await c.get("/api/v1/statistics", headers=OPERATOR, params=query)
    assert st.status_code == 200, st.text
    tm, st = tm.json(), st.json()
    flows = [(int(f["count"]), Decimal(f["amount"])) for f in tm["flows"]
             if (f["from_region"], f["to_region"], f["field"], f["month"]) == (frm, to, field, month)]
    assert len(flows) <= 1, flows                                   # one row per (from, to, field, month)
    routes = [(int(r["count"]), Decimal(r["amount"])) for r in tm["routes"]
              if (r["from_region"], r["to_region"]) == (frm, to)]

    def key(rows, k):
        return next(((int(r["count"]), Decimal(r["amount"])) for r in rows if r["key"] == k), (0, Decimal(0)))
    zero = (0, Decimal(0))
    return {"flow": flows[0] if flows else zero, "route": routes[0] if routes else zero,
            "map_total": (int(tm["count"]), Decimal(tm["amount"])),
            "stats_total": (int(st["count"]), Decimal(st["amount"])),
            "by_region": key(st["by_region"], frm), "by_field": key(st["by_field"], field),
            "by_month": key(st["by_month"], month)}


def plus(before: dict, amount: str) -> dict:
    return {k: (n + 1, a + Decimal(amount)) for k, (n, a) in before.items()}


async def test_award_reaches_trading_map_and_statistics(platform):
    tag, field = uuid.uuid4().hex[:8], "rail-transit"
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
        vendor, buyer = principal("enterprise", "HEBEI"), principal("buyer", "TIANJIN")
        product = await listed_product(c, platform, vendor, "HEBEI", field, tag)
        now = platform.clock.now()
        month = month_of(now)
        before = await snapshot(c, field, month, "HEBEI", "TIANJIN")
        other_before = await snapshot(c, field, month, "TIANJIN", "HEBEI")

        made = await award(c, platform, buyer, "TIANJIN", product["product_id"], "612345.67", now, tag)
        assert (made["vendor_region"], made["buyer_region"], made["field"], made["amount"]) == (
            "HEBEI", "TIANJIN", field, "612345.67")

        expected = plus(before, "612345.67")
        seen = {}

        async def grown():
            seen["last"] = await snapshot(c, field, month, "HEBEI", "TIANJIN")
            return seen["last"] == expected
        try:
            await eventually(grown, timeout=20, interval=0.5)       # gently: the gateway rate-limits
        except AssertionError:
            assert seen["last"] == expected                          # show the difference
        # the reverse direction did not move; and the deal is counted once, not again later
        assert await snapshot(c, field, month, "TIANJIN", "HEBEI") == {
            **other_before, "map_total": expected["map_total"], "stats_total": expected["stats_total"],
            "by_field": expected["by_field"], "by_month": expected["by_month"]}
        await asyncio.sleep(1.0)
        assert await snapshot(c, field, month, "HEBEI", "TIANJIN") == expected


async def test_backdated_award_counts_in_its_award_month(platform):
    """An award dated in an earlier month (the buyer records it late) counts in the month of
    its award_date, not in the month it was entered."""
    tag, field = uuid.uuid4().hex[:8], "new-materials"
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
        vendor, buyer = principal("enterprise", "BEIJING"), principal("buyer", "HEBEI")
        product = await listed_product(c, platform, vendor, "BEIJING", field, tag)
        award_date = platform.clock.now() + timedelta(hours=1)
        platform.clock.advance(days=40)                              # entered over a month later
        award_month, entry_month = month_of(award_date), month_of(platform.clock.now())
        assert award_month != entry_month
        before = await snapshot(c, field, award_month, "BEIJING", "HEBEI")
        entry_before = await snapshot(c, field, entry_month, "BEIJING", "HEBEI")

        made = await award(c, platform, buyer, "HEBEI", product["product_id"], "500000.00", award_date, tag)
        assert made["award_date"].startswith(award_date.date().isoformat())
        expected = plus(before, "500000.00")
        seen = {}

        async def grown():
            seen["last"] = await snapshot(c, field, award_month, "BEIJING", "HEBEI")
            return seen["last"] == expected
        try:
            await eventually(grown, timeout=20, interval=0.5)
        except AssertionError:
            assert seen["last"] == expected
        assert await snapshot(c, field, entry_month, "BEIJING", "HEBEI") == entry_before
