"""Procurement's and incubation's work queues through the gateway (real gateway, gRPC, Mongo
and broker; the shared ManualClock moved between creations so the order is exact): each holds
exactly what waits on its reader, oldest (or first due) first; another role gets a 403 problem.
Global queues are compared on the ids this test created (the platform is shared)."""

import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from tests.gateway.queue_support import bad, forbidden, ids, ok, person, walk
from tests.incubation.support import registered_achievement as incubation_achievement
from tests.procurement.support import registered_achievement
from tests.support.identity import bearer

OPERATOR = bearer("op-queues-2", "org-platform", "BEIJING", "operator")
PROC, INC = "/api/v1/procurement", "/api/v1/incubation"


@pytest.fixture
async def c(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=15) as client:
        yield client


async def apply(c, platform, vendor: dict, region: str = "BEIJING") -> str:
    platform.clock.advance(seconds=1)
    aid = await registered_achievement(platform, f"数控机床预测性维护方法 {uuid.uuid4().hex[:6]}", ["数控机床"])
    return ok(await c.post(f"{PROC}/products", headers=vendor, json={
        "name": f"智能数控机床远程运维系统 {uuid.uuid4().hex[:6]}", "category": "advanced-manufacturing",
        "description": "数控机床 远程运维", "price": "850000.00", "region": region, "indicators": [],
        "achievement_ids": [aid]}), 201)["product_id"]


async def score(c, product_id: str, expert: dict, value: int = 85) -> dict:
    return ok(await c.post(f"{PROC}/products/{product_id}/reviews", headers=expert,
                           json={"score": value, "opinion": "技术先进"}))


async def listed(c, platform, vendor: dict) -> str:
    pid = await apply(c, platform, vendor)
    for value in (80, 75, 90):
        product = await score(c, pid, person("expert")[0], value)
    assert product["status"] == "LISTED"
    return pid


async def test_the_scoring_queue_holds_applications_this_expert_has_not_scored(c, platform):
    vendor, vendor_org = person("enterprise")
    p1 = await apply(c, platform, vendor)
    p2 = await apply(c, platform, vendor)
    e1, e2 = person("expert")[0], person("expert", "TIANJIN")[0]
    colleague = person("expert", org=vendor_org)[0]
    await score(c, p1, e1)

    assert await ids(c, "scoring", e1, "product_id", among={p1, p2}) == [p2]
    assert await ids(c, "scoring", e2, "product_id", among={p1, p2}) == [p1, p2]
    assert await ids(c, "scoring", colleague, "product_id", among={p1, p2}) == []   # own organisation's
    assert await ids(c, "scoring", e2, "product_id", among={p1, p2}, region="HEBEI") == []
    assert [i["status"] for i in await walk(c, "scoring", e2) if i["product_id"] in {p1, p2}] == [
        "UNDER_REVIEW"] * 2

    await forbidden(c, "scoring", OPERATOR)
    await forbidden(c, "scoring", vendor)
    await bad(c, "scoring", e1, "due_before", due_before="2026-01-01T00:00:00Z")


async def test_first_set_decisions_and_claims_wait_on_operators(c, platform):
    vendor, _ = person("enterprise")
    pid = await listed(c, platform, vendor)
    ok(await c.post(f"{PROC}/products/{pid}/first-set", headers=vendor, json={
        "own_ip": True, "major_breakthrough": True, "units_sold_in_region": 0, "note": "首台套"}))
    expert = person("expert")[0]
    assert await ids(c, "first-set-decisions", OPERATOR, "product_id", among={pid}) == [pid]
    assert await ids(c, "first-set-decisions", expert, "product_id", among={pid}) == [pid]
    assert await ids(c, "first-set-decisions", OPERATOR, "product_id", among={pid}, region="TIANJIN") == []
    await forbidden(c, "first-set-decisions", person("buyer")[0])

    ok(await c.post(f"{PROC}/products/{pid}/first-set/decision", headers=OPERATOR, json={"approve": True}))
    assert await ids(c, "first-set-decisions", OPERATOR, "product_id", among={pid}) == []
    claims = []
    for _ in range(2):
        platform.clock.advance(seconds=1)
        claims.append(ok(await c.post(f"{PROC}/insurance-claims", headers=vendor, json={
            "product_id": pid, "amount": "20000.00", "reason": "设备故障停产"}), 201)["claim_id"])
    assert await ids(c, "claims", OPERATOR, "claim_id", among=set(claims)) == claims
    ok(await c.post(f"{PROC}/insurance-claims/{claims[0]}/review", headers=OPERATOR, json={"approve": True}))
    assert await ids(c, "claims", OPERATOR, "claim_id", among=set(claims)) == claims   # reviewed: to settle
    assert await ids(c, "claims", OPERATOR, "claim_id", among=set(claims), state="APPLIED") == claims[1:]
    ok(await c.post(f"{PROC}/insurance-claims/{claims[0]}/settle", headers=OPERATOR, json={"approve": True}))
    assert await ids(c, "claims", OPERATOR, "claim_id", among=set(claims)) == claims[1:]
    assert await ids(c, "claims", OPERATOR, "claim_id", among=set(claims), state="PAID") == claims[:1]
    await forbidden(c, "claims", expert)
    await forbidden(c, "claims", vendor)


async def test_a_buyer_units_demands_by_deadline_and_its_awards(c, platform):
    vendor, _ = person("enterprise")
    pid = await listed(c, platform, vendor)
    buyer, buyer_org = person("buyer", "TIANJIN")
    colleague = person("buyer", "TIANJIN", org=buyer_org)[0]
    now = platform.clock.now()
    demands = []
    for days in (20, 10):
        demands.append(ok(await c.post(f"{PROC}/demands", headers=buyer, json={
            "need": "采购数控机床远程运维系统", "category": "advanced-manufacturing", "budget": "1000000.00",
            "deadline": (now + timedelta(days=days)).isoformat(), "region": "TIANJIN"}), 201)["demand_id"])
    later, sooner = demands

    assert await ids(c, "my-demands", buyer, "demand_id") == [sooner, later]
    assert await ids(c, "my-demands", colleague, "demand_id") == [sooner, later]      # the unit's
    assert await ids(c, "my-demands", person("buyer")[0], "demand_id") == []
    assert await ids(c, "my-demands", buyer, "demand_id", due_before=(now + timedelta(days=15)).isoformat()) == [
        sooner]
    award = ok(await c.post(f"{PROC}/awards", headers=buyer, json={
        "demand_id": sooner, "product_id": pid, "amount": "900000.00", "award_date": now.isoformat()}), 201)
    assert await ids(c, "my-demands", buyer, "demand_id") == [later]
    assert await ids(c, "my-demands", buyer, "demand_id", state="AWARDED") == [sooner]
    assert await ids(c, "my-awards", buyer, "award_id") == [award["award_id"]]
    assert await ids(c, "my-awards", buyer, "award_id", region="BEIJING") == [award["award_id"]]   # the vendor's
    assert await ids(c, "my-awards", buyer, "award_id", region="HEBEI") == []
    assert await ids(c, "my-awards", person("buyer")[0], "award_id") == []

    await forbidden(c, "my-demands", vendor)
    await forbidden(c, "my-awards", OPERATOR)
    await bad(c, "my-awards", buyer, "state", state="OPEN")
    await bad(c, "my-demands", buyer, "state", state="CLOSED")


async def test_station_approvals(c, platform):
    stations = []
    for region in ("HEBEI", "TIANJIN"):
        platform.clock.advance(seconds=1)
        stations.append(ok(await c.post(f"{INC}/stations", headers=person("station", region)[0], json={
            "name": f"合作站 {uuid.uuid4().hex[:6]}", "region": region, "services": ["testing"]}), 201)["station_id"])
    assert await ids(c, "station-approvals", OPERATOR, "station_id", among=set(stations)) == stations
    assert await ids(c, "station-approvals", OPERATOR, "station_id", among=set(stations), region="TIANJIN") == [
        stations[1]]
    ok(await c.post(f"{INC}/stations/{stations[0]}/approve", headers=OPERATOR, json={}))
    assert await ids(c, "station-approvals", OPERATOR, "station_id", among=set(stations)) == stations[1:]
    assert await ids(c, "station-approvals", OPERATOR, "station_id", among=set(stations), state="ACTIVE") == [
        stations[0]]
    await forbidden(c, "station-approvals", person("station")[0])


async def test_a_stations_cases_by_sla_and_the_operators_sla_breaches(c, platform):
    station, station_org = person("station", "TIANJIN")
    station_id = ok(await c.post(f"{INC}/stations", headers=station, json={
        "name": f"合作站 {uuid.uuid4().hex[:6]}", "region": "TIANJIN", "services": ["testing"]}), 201)["station_id"]
    ok(await c.post(f"{INC}/stations/{station_id}/approve", headers=OPERATOR, json={}))
    cases = []
    for _ in range(2):
        platform.clock.advance(seconds=1)
        holder, holder_org = person("institution")
        aid = await incubation_achievement(platform, holder_org, "BEIJING", field="rail-transit")
        cases.append(ok(await c.post(f"{INC}/cases", headers=holder, json={
            "achievement_id": aid, "station_id": station_id, "transfer_mode": "licence",
            "services": ["technology_trading"], "receiver": {"organisation": f"org-ent-{uuid.uuid4().hex[:6]}",
                                                             "name": "津企", "region": "TIANJIN",
                                                             "kind": "ENTERPRISE"}}), 201))
    first, second = (case["case_id"] for case in cases)
    ok(await c.post(f"{INC}/cases/{first}/accept", headers=station, json={}))   # a new stage, a later due date

    assert await ids(c, "my-cases", station, "case_id") == [second, first]
    assert await ids(c, "my-cases", person("station", org=station_org)[0], "case_id") == [second, first]
    assert await ids(c, "my-cases", person("station")[0], "case_id") == []
    assert await ids(c, "my-cases", station, "case_id", state="ACCEPTED") == [first]
    assert await ids(c, "sla-breaches", OPERATOR, "case_id", among={first, second}) == []
    platform.clock.set(max(platform.clock.now(), datetime.fromisoformat(cases[1]["stage_due_at"]) + timedelta(hours=1)))
    assert await ids(c, "sla-breaches", OPERATOR, "case_id", among={first, second}) == [second]
    assert await ids(c, "sla-breaches", OPERATOR, "case_id", among={first, second}, region="HEBEI") == []

    await forbidden(c, "my-cases", OPERATOR)
    await forbidden(c, "sla-breaches", station)
    await bad(c, "my-cases", station, "state", state="CLOSED")

