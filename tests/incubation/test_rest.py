"""The incubation REST API through the gateway (real gateway, gRPC, Mongo and broker): a case
from submission to landing with the right roles, refused transitions and bad input as problem
details naming the field, the station ranking with exact scores, incubator counts."""

import random

import httpx
import pytest

from tests.incubation.support import registered_achievement, uid
from tests.support.identity import bearer

BASE = "/api/v1/incubation"
OPERATOR = bearer("op-rest", "platform", "BEIJING", "operator")


def person(region: str, role: str, org: str | None = None) -> dict:
    return bearer(uid("u-"), org or uid(f"org-{role}-"), region, role)


def org_of(headers: dict) -> str:
    import jwt
    return jwt.decode(headers["Authorization"].split()[1], options={"verify_signature": False})["org"]


@pytest.fixture
async def rest(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=15) as client:
        yield client


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def refused(r: httpx.Response, status: int, kind: str, field: str) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert body["type"].endswith("/" + kind) and body["field"] == field, body
    return body


async def active_station(rest, services=("testing", "technology_transfer"), region="TIANJIN"):
    station = person(region, "station")
    applied = ok(await rest.post(f"{BASE}/stations", headers=station, json={
        "name": f"合作站 {uid()}", "region": region, "services": list(services)}), 201)
    assert applied["status"] == "APPLIED"
    approved = ok(await rest.post(f"{BASE}/stations/{applied['station_id']}/approve", headers=OPERATOR, json={}))
    assert approved["status"] == "ACTIVE"
    return applied["station_id"], station


async def submit(rest, platform, station_id: str, holder: dict | None = None, receiver_org: str | None = None):
    holder = holder or person("BEIJING", "institution")
    achievement_id = await registered_achievement(platform, org_of(holder), "BEIJING", field="rail-transit")
    case = ok(await rest.post(f"{BASE}/cases", headers=holder, json={
        "achievement_id": achievement_id, "station_id": station_id, "transfer_mode": "licence",
        "services": ["technology_trading", "venture_capital"],
        "receiver": {"organisation": receiver_org or uid("org-ent-"), "name": "津企", "region": "TIANJIN",
                     "kind": "ENTERPRISE"}}), 201)
    return case, holder


async def test_case_from_submission_to_landing_with_the_right_roles(rest, platform):
    station_id, station = await active_station(rest)
    receiver = person("TIANJIN", "enterprise")
    case, holder = await submit(rest, platform, station_id, receiver_org=org_of(receiver))
    case_id = case["case_id"]
    assert case["stage"] == "SUBMITTED" and case["regions"] == ["BEIJING", "TIANJIN"]
    assert case["services"] == ["technology_trading", "venture_capital"] and case["version"] == "1"

    for action, stage in (("accept", "ACCEPTED"), ("review", "REVIEWED"), ("approve", "APPROVED")):
        case = ok(await rest.post(f"{BASE}/cases/{case_id}/{action}", headers=station, json={"note": action}))
        assert case["stage"] == stage
    case = ok(await rest.post(f"{BASE}/cases/{case_id}/land", headers=receiver,
                              json={"amount": "1200000.00", "note": "签约落地"}))
    assert case["stage"] == "LANDED" and case["amount"] == "1200000.00" and case["version"] == "5"
    seen = ok(await rest.get(f"{BASE}/cases/{case_id}", headers=holder))
    assert [h["stage"] for h in seen["history"]] == ["SUBMITTED", "ACCEPTED", "REVIEWED", "APPROVED", "LANDED"]

    landed = ok(await rest.get(f"{BASE}/cases", headers=station,
                               params={"station_id": station_id, "stage": "LANDED"}))
    assert [c["case_id"] for c in landed["items"]] == [case_id] and landed["next_cursor"] == ""   # the last page
    partner = person("TIANJIN", "partner")
    by_region = ok(await rest.get(f"{BASE}/cases", headers=partner,
                                  params={"station_id": station_id, "region": "TIANJIN"}))
    assert [c["case_id"] for c in by_region["items"]] == [case_id]
    hebei_partner = person("HEBEI", "partner")
    hidden = ok(await rest.get(f"{BASE}/cases", headers=hebei_partner, params={"station_id": station_id}))
    assert hidden.get("items", []) == []   # a partner sees the cases of its region only
    overdue = ok(await rest.get(f"{BASE}/cases", headers=OPERATOR, params={"station_id": station_id,
                                                                          "overdue": "true"}))
    assert overdue.get("items", []) == []

    dashboard = ok(await rest.get(f"{BASE}/stations/{station_id}/dashboard", headers=station))
    assert dashboard["landed_cases"] == 1 and dashboard["landed_amount"] == "1200000.00"
    assert dashboard["open_cases"] == 1 and dashboard["cases_by_stage"]["LANDED"] == 1
    case = ok(await rest.post(f"{BASE}/cases/{case_id}/close", headers=station, json={}))
    assert case["stage"] == "CLOSED"


async def test_case_list_is_paginated_with_a_cursor(rest, platform):
    station_id, station = await active_station(rest)
    ids = [(await submit(rest, platform, station_id))[0]["case_id"] for _ in range(3)]
    first = ok(await rest.get(f"{BASE}/cases", headers=station, params={"station_id": station_id, "page_size": 2}))
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = ok(await rest.get(f"{BASE}/cases", headers=station, params={
        "station_id": station_id, "page_size": 2, "cursor": first["next_cursor"]}))
    assert len(second["items"]) == 1 and second["next_cursor"] == ""   # the last page
    assert sorted(c["case_id"] for c in first["items"] + second["items"]) == sorted(ids)


async def test_refused_transitions_are_409_problems_naming_the_field(rest, platform):
    station_id, station = await active_station(rest)
    receiver = person("TIANJIN", "enterprise")
    case, holder = await submit(rest, platform, station_id, receiver_org=org_of(receiver))
    url = f"{BASE}/cases/{case['case_id']}"
    refused(await rest.post(f"{url}/review", headers=station, json={}), 409, "transition-refused", "stage")
    refused(await rest.post(f"{url}/land", headers=receiver, json={"amount": "10.00"}), 409,
            "transition-refused", "stage")
    refused(await rest.post(f"{url}/close", headers=station, json={}), 409, "transition-refused", "stage")
    refused(await rest.post(f"{url}/accept", headers=person("TIANJIN", "station")), 403, "forbidden", "case_id")
    r = await rest.post(f"{url}/accept", headers=receiver, json={})   # the matrix: enterprises do not handle cases
    assert r.status_code == 403 and r.json()["type"].endswith("/forbidden")
    ok(await rest.post(f"{url}/withdraw", headers=holder, json={"note": "changed our mind"}))
    refused(await rest.post(f"{url}/accept", headers=station, json={}), 409, "transition-refused", "stage")
    assert ok(await rest.get(url, headers=holder))["stage"] == "WITHDRAWN"

    ok(await rest.post(f"{BASE}/stations/{station_id}/suspend", headers=OPERATOR, json={"note": "audit"}))
    r = await rest.post(f"{BASE}/cases", headers=holder, json={
        "achievement_id": case["achievement_id"], "station_id": station_id, "transfer_mode": "equity",
        "services": ["consulting"], "receiver": {"organisation": "org-x", "region": "HEBEI", "kind": "ENTERPRISE"}})
    refused(r, 409, "transition-refused", "station_id")
    assert ok(await rest.post(f"{BASE}/stations/{station_id}/reinstate", headers=OPERATOR,
                              json={}))["status"] == "ACTIVE"
    r = await rest.post(f"{BASE}/stations/{station_id}/approve", headers=station, json={})
    assert r.status_code == 403   # only the operator decides on stations


async def test_bad_input_is_refused_naming_the_field(rest, platform):
    station_id, station = await active_station(rest)
    holder = person("BEIJING", "institution")
    achievement_id = await registered_achievement(platform, org_of(holder), "BEIJING")
    good = {"achievement_id": achievement_id, "station_id": station_id, "transfer_mode": "transfer",
            "services": ["ip_protection"], "receiver": {"organisation": "org-hb", "region": "HEBEI",
                                                        "kind": "INCUBATOR"}}

    async def case_with(**change):
        return await rest.post(f"{BASE}/cases", headers=holder, json={**good, **change})
    refused(await case_with(colour="red"), 422, "validation-error", "colour")
    refused(await case_with(transfer_mode="gift"), 422, "validation-error", "transfer_mode")
    refused(await case_with(services=[]), 422, "validation-error", "services")
    refused(await case_with(receiver={**good["receiver"], "region": "MARS"}), 422, "validation-error",
            "receiver.region")
    refused(await case_with(receiver={**good["receiver"], "region": "BEIJING"}), 400, "invalid-input",
            "receiver.region")
    withdrawn = await registered_achievement(platform, org_of(holder), "BEIJING", status="WITHDRAWN")
    refused(await case_with(achievement_id=withdrawn), 400, "invalid-input", "achievement_id")
    assert ok(await rest.get(f"{BASE}/cases", headers=holder, params={"station_id": station_id})).get(
        "items", []) == []   # nothing half-written

    report = {"year": 2024, "services_delivered": 1, "enterprises_served": 1, "achievements_landed": 1}
    url = f"{BASE}/stations/{station_id}/reports"
    refused(await rest.post(url, headers=station, json={**report, "services_delivered": -1}), 422,
            "validation-error", "services_delivered")
    refused(await rest.post(url, headers=station, json={**report, "year": platform.clock.now().year + 1}), 400,
            "invalid-input", "year")
    refused(await rest.post(f"{BASE}/stations", headers=station, json={
        "name": "x", "region": "TIANJIN", "services": ["cooking"]}), 422, "validation-error", "services.0")
    refused(await rest.post(f"{BASE}/incubators", headers=holder, json={"name": "孵化器", "region": "BEIJING"}),
            400, "invalid-input", "region")
    refused(await rest.get(f"{BASE}/stations/ranking", headers=holder, params={"year": 1999}), 422,
            "validation-error", "query.year")
    refused(await rest.get(f"{BASE}/cases/no-such-case", headers=OPERATOR), 404, "not-found", "case_id")


async def test_station_ranking_order_with_exact_scores(rest, platform):
    year = random.randint(2000, 2019)
    figures = {  # services offered, then the year's report
        "A": (["testing"], 10, 5, 2),                                  # 10 + 2*5 + 5*2 + 3*1 = 33
        "B": (["testing", "training", "financing"], 4, 3, 1),          # 4 + 2*3 + 5*1 + 3*3 = 24
        "C": (["testing", "technology_transfer"], 20, 8, 4),           # 20 + 2*8 + 5*4 + 3*2 = 62
    }
    ids = {}
    for label, (services, delivered, served, landed) in figures.items():
        station_id, station = await active_station(rest, services=services)
        filer = OPERATOR if label == "B" else station
        ok(await rest.post(f"{BASE}/stations/{station_id}/reports", headers=filer, json={
            "year": year, "services_delivered": delivered, "enterprises_served": served,
            "achievements_landed": landed}))
        ids[station_id] = label
    refused(await rest.post(f"{BASE}/stations/{station_id}/reports", headers=OPERATOR, json={
        "year": year, "services_delivered": 1, "enterprises_served": 1, "achievements_landed": 1}),
        409, "conflict", "year")
    ranking = ok(await rest.get(f"{BASE}/stations/ranking", headers=person("HEBEI", "partner"),
                                params={"year": year}))
    assert ranking["year"] == year
    assert ranking["weights"] == {"services_delivered": 1.0, "enterprises_served": 2.0,
                                  "achievements_landed": 5.0, "services_offered": 3.0}
    mine = [e for e in ranking["entries"] if e["station_id"] in ids]
    assert [(ids[e["station_id"]], e["score"]) for e in mine] == [("C", 62.0), ("A", 33.0), ("B", 24.0)]
    assert [e["rank"] for e in mine] == sorted({e["rank"] for e in mine})
    assert mine[0]["report"]["achievements_landed"] == 4 and mine[2]["services_offered"] == 3
    listed = ok(await rest.get(f"{BASE}/stations", headers=OPERATOR, params={"region": "TIANJIN", "status": "ACTIVE",
                                                                             "page_size": 200}))
    assert "items" in listed


async def test_incubator_counts_by_region_and_sponsor(rest):
    sponsor = person("BEIJING", "institution")
    other = person("BEIJING", "institution")
    plan = [("TIANJIN", [("e1", "graduate"), ("e2", "leave"), ("e3", None)]), ("TIANJIN", [("e4", None)]),
            ("HEBEI", [("e5", "graduate"), ("e6", "graduate")])]
    first = None
    for region, enterprises in plan:
        inc = ok(await rest.post(f"{BASE}/incubators", headers=sponsor, json={
            "name": f"孵化器 {uid()}", "region": region, "city": "天津" if region == "TIANJIN" else "保定"}), 201)
        first = first or inc["incubator_id"]
        for enterprise_id, outcome in enterprises:
            ok(await rest.post(f"{BASE}/incubators/{inc['incubator_id']}/enterprises", headers=sponsor,
                               json={"name": f"企业 {enterprise_id}", "enterprise_id": enterprise_id}), 201)
            if outcome:
                ok(await rest.post(f"{BASE}/incubators/{inc['incubator_id']}/enterprises/{enterprise_id}/{outcome}",
                                   headers=sponsor))
    other_inc = ok(await rest.post(f"{BASE}/incubators", headers=other, json={"name": "院所孵化器",
                                                                            "region": "HEBEI"}), 201)
    ok(await rest.post(f"{BASE}/incubators/{other_inc['incubator_id']}/enterprises", headers=other,
                       json={"name": "冀企", "enterprise_id": "h1"}), 201)
    refused(await rest.post(f"{BASE}/incubators/{first}/enterprises", headers=other,
                            json={"name": "不属于", "enterprise_id": "z"}), 403, "forbidden", "incubator_id")
    refused(await rest.post(f"{BASE}/incubators/{first}/enterprises/e1/leave", headers=sponsor), 409,
            "transition-refused", "enterprise_id")

    def rows(table):
        return {r["key"]: tuple(r.get(k, 0) for k in ("incubators", "incubating", "graduated", "left"))
                for r in table}
    s = org_of(sponsor)
    counts = ok(await rest.get(f"{BASE}/incubators/counts", headers=OPERATOR, params={"sponsor": s}))
    assert rows(counts["by_region"]) == {"TIANJIN": (2, 2, 1, 1), "HEBEI": (1, 0, 2, 0)}
    assert rows(counts["by_sponsor"]) == {s: (3, 2, 3, 1)}
    hebei = ok(await rest.get(f"{BASE}/incubators/counts", headers=person("HEBEI", "partner"),
                              params={"region": "HEBEI"}))
    by_sponsor = rows(hebei["by_sponsor"])
    assert by_sponsor[s] == (1, 0, 2, 0) and by_sponsor[org_of(other)] == (1, 1, 0, 0)
    assert [r["key"] for r in hebei["by_region"]] == ["HEBEI"]
    got = ok(await rest.get(f"{BASE}/incubators/{first}", headers=OPERATOR))
    assert got["sponsor"] == s and len(got["enterprises"]) == 3
