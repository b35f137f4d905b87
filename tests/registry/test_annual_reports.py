"""Annual transformation reports and fiscal obligations on the platform (REST and gRPC, real
broker and Mongo server): oversight lists, file / return / refile / approve, the 70 % rule,
late and missing reports and the once-only deadline events, driven by the shared ManualClock;
funded projects overdue without a registered achievement and a technology report."""

import uuid
from datetime import UTC, datetime, timedelta

import grpc

from bth.registry.v1 import annual_report_pb2 as pb
from bth.registry.v1 import registry_service_pb2_grpc
from services.common.identity import Principal
from services.registry.domain.annual_report import CHINA, due_at
from tests.support.identity import bearer, signed

OPERATOR = bearer("op-1", "platform", "BEIJING", "operator")
DEALS = {"transfer": {"count": 2, "amount": "1000000.00"}, "licence": {"count": 3, "amount": "500000.00"},
         "equity": {"count": 1, "amount": "2000000.00"}, "cooperation": {"count": 4, "amount": "300000.00"}}


def uid() -> str:
    return uuid.uuid4().hex[:8]


def institution(org: str):
    return bearer(f"user-{org}", org, "HEBEI", "institution")


def figures(year: int, **extra) -> dict:
    return {"year": year, "deals": DEALS, "income": "3800000.00", "researcher_rewards": "2850000.00",
            "people_involved": 12, **extra}


def advance_to(platform, moment: datetime) -> None:
    now = platform.clock.now()
    if moment > now:
        platform.clock.advance(seconds=(moment - now).total_seconds())


async def outbox(platform, type_: str, key: str) -> list:
    docs = await platform.hosts["registry"].db["outbox"].find(
        {"type": f"bth.registry.v1.{type_}", "key": key}).sort("_id", 1).to_list()
    return [getattr(pb, type_).FromString(bytes(d["data"])) for d in docs]


async def test_annual_report_cycle_late_missing_and_overdue(api, platform):
    now = platform.clock.now()
    if now >= datetime(now.year, 3, 29, tzinfo=CHINA):     # keep room before March 31: next January
        advance_to(platform, datetime(now.year + 1, 1, 2, 9, tzinfo=UTC))
    year = platform.clock.now().year - 1
    sup_org, a, b, c, loner = (f"{p}-{uid()}" for p in ("sup", "inst-a", "inst-b", "inst-c", "inst-d"))
    sup = bearer(f"s-{sup_org}", sup_org, "HEBEI", "supervisor")
    other_sup = bearer("s-other", f"sup-{uid()}", "HEBEI", "supervisor")
    for org in (a, b, c):
        r = await api.put(f"/api/v1/oversight/institutions/{org}", headers=sup)
        assert r.status_code == 200, r.text
    assert r.json()["institutions"] == [a, b, c] and r.json()["version"] == "3"
    r = await api.put(f"/api/v1/oversight/institutions/{a}", headers=sup)
    assert r.status_code == 409 and r.json()["field"] == "organisation"
    r = await api.put(f"/api/v1/oversight/institutions/{a}", headers=other_sup)
    assert r.status_code == 409 and r.json()["field"] == "organisation"
    assert (await api.put(f"/api/v1/oversight/institutions/{loner}", headers=institution(a))).status_code == 403
    assert (await api.delete(f"/api/v1/oversight/institutions/{c}", headers=sup)).status_code == 204
    assert (await api.get("/api/v1/oversight", headers=sup)).json()["institutions"] == [a, b]
    assert (await api.put(f"/api/v1/oversight/institutions/{c}", headers=sup)).json()["version"] == "5"

    # bad input, each naming the field; nothing written
    me = institution(a)
    for body, field in ((figures(year + 1), "year"), (figures(year + 2), "year"),
                        (figures(year, income="-1.00"), "income"),
                        (figures(year, people_involved=-2), "people_involved"),
                        (figures(year, deals={"licence": {"count": 1, "amount": "-5.00"}}), "deals.licence.amount"),
                        (figures(year, deals={"transfer": {"count": -1}}), "deals.transfer.count")):
        r = await api.post("/api/v1/annual-reports", json=body, headers=me)
        assert r.status_code == 400 and r.json()["field"] == field, (body, r.text)
    r = await api.post("/api/v1/annual-reports", json={**figures(year), "colour": "red"}, headers=me)
    assert r.status_code == 422 and r.json()["field"] == "colour"
    r = await api.post("/api/v1/annual-reports", json=figures(year), headers=institution(loner))
    assert r.status_code == 400 and r.json()["field"] == "organisation"
    assert (await api.get(f"/api/v1/annual-reports/{a}:{year}", headers=me)).status_code == 404

    # file → return → refile → approve
    r = await api.post("/api/v1/annual-reports", json=figures(year), headers=me)
    assert r.status_code == 201, r.text
    rid = r.json()["report_id"]
    got = r.json()
    assert (rid, got["status"], got["supervisor"], got["year"], got["version"]) == (
        f"{a}:{year}", "FILED", sup_org, year, "1")
    assert (got["researcher_share"], got["meets_70_percent_rule"], got.get("late", False)) == ("0.7500", True, False)
    assert (got["institution_deadline"], got["supervisor_deadline"]) == (f"{year + 1}-03-31", f"{year + 1}-04-30")
    assert got["deals"]["equity"] == {"count": 1, "amount": "2000000.00"} and got["people_involved"] == 12
    r = await api.post("/api/v1/annual-reports", json=figures(year), headers=me)
    assert r.status_code == 409 and r.json()["field"] == "year"
    assert (await api.post(f"/api/v1/annual-reports/{rid}/approve", headers=me)).status_code == 403
    assert (await api.post(f"/api/v1/annual-reports/{rid}/approve", headers=other_sup)).status_code == 404
    r = await api.post(f"/api/v1/annual-reports/{rid}/return", headers=sup)
    assert r.status_code == 400 and r.json()["field"] == "note"
    r = await api.post(f"/api/v1/annual-reports/{rid}/return", json={"note": "奖励金额有误"}, headers=sup)
    assert r.json()["status"] == "RETURNED" and r.json()["note"] == "奖励金额有误"
    r = await api.post(f"/api/v1/annual-reports/{rid}/approve", headers=sup)
    assert r.status_code == 409 and r.json()["field"] == "status"
    r = await api.post("/api/v1/annual-reports", json=figures(year, researcher_rewards="2000000.00"), headers=me)
    assert r.status_code == 201 and r.json()["status"] == "FILED"
    assert (r.json()["researcher_share"], r.json().get("meets_70_percent_rule", False)) == ("0.5263", False)
    r = await api.post(f"/api/v1/annual-reports/{rid}/approve", json={"note": "同意"}, headers=sup)
    assert (r.json()["status"], r.json()["version"], r.json()["decided_by"]) == ("APPROVED", "4", f"s-{sup_org}")
    events = await outbox(platform, "AnnualReportFiled", rid)
    assert [e.report.version for e in events] == [1, 3] and events[-1].report.researcher_share == "0.5263"
    assert [e.report.status for e in await outbox(platform, "AnnualReportApproved", rid)] == ["APPROVED"]

    # before the institution deadline nothing is missing
    status = (await api.get("/api/v1/annual-reports", params={"year": year}, headers=sup)).json()
    assert (status["missing"], status["late"], [x["report_id"] for x in status["reports"]]) == ([], [], [rid])
    assert (await api.get("/api/v1/annual-reports", params={"year": year}, headers=me)).status_code == 403

    # past March 31 (Beijing): c files late; b is missing — flagged once (timer or operator)
    advance_to(platform, due_at(f"{year + 1}-03-31") + timedelta(seconds=1))
    r = await api.post("/api/v1/annual-reports", json=figures(year, deals={}, income="100.00",
                                                             researcher_rewards="70.00", people_involved=1),
                       headers=institution(c))
    assert r.status_code == 201 and r.json()["late"] is True and r.json()["meets_70_percent_rule"] is True
    assert (await api.post("/api/v1/registry/annual-reports/flag-missing", headers=sup)).status_code == 403
    assert (await api.post("/api/v1/registry/annual-reports/flag-missing", headers=OPERATOR)).status_code == 200
    again = (await api.post("/api/v1/registry/annual-reports/flag-missing", headers=OPERATOR)).json()
    assert f"{b}:{year}" not in again["missing"] and f"{sup_org}:{year}" not in again["overdue"]
    status = (await api.get("/api/v1/annual-reports", params={"year": year}, headers=sup)).json()
    assert status["missing"] == [{"organisation": b, "supervisor": sup_org, "flagged": True}]
    assert [x["report_id"] for x in status["late"]] == [f"{c}:{year}"]
    missing = await outbox(platform, "AnnualReportMissing", f"{b}:{year}")
    assert [(e.report.status, e.report.organisation, e.report.year) for e in missing] == [("MISSING", b, year)]
    assert (await api.get("/api/v1/oversight", headers=sup)).json().get("overdue_years", []) == []
    assert await outbox(platform, "AnnualReportFilingOverdue", sup_org) == []

    # past April 30: the supervisor has not approved b's and c's reports → overdue, once
    advance_to(platform, due_at(f"{year + 1}-04-30") + timedelta(seconds=1))
    await api.post("/api/v1/registry/annual-reports/flag-missing", headers=OPERATOR)
    again = (await api.post("/api/v1/registry/annual-reports/flag-missing", headers=OPERATOR)).json()
    assert f"{sup_org}:{year}" not in again["overdue"]
    assert (await api.get("/api/v1/oversight", headers=sup)).json()["overdue_years"] == [year]
    overdue = await outbox(platform, "AnnualReportFilingOverdue", sup_org)
    assert [(e.year, list(e.pending)) for e in overdue] == [(year, sorted([b, c]))]
    # b still files (late), replacing the MISSING placeholder
    r = await api.post("/api/v1/annual-reports", json=figures(year), headers=institution(b))
    assert (r.json()["status"], r.json()["late"], r.json()["version"]) == ("FILED", True, "2")
    status = (await api.get("/api/v1/annual-reports", params={"year": year, "supervisor": sup_org},
                            headers=OPERATOR)).json()
    assert status["missing"] == [] and sorted(x["report_id"] for x in status["late"]) == sorted(
        [f"{b}:{year}", f"{c}:{year}"])


async def test_grpc_reporting_status_and_operator_scope(platform):
    year = platform.clock.now().year - 1
    sup = Principal(f"s-{uid()}", f"sup-{uid()}", "TIANJIN", frozenset({"supervisor"}))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        o = await stub.OverseeInstitution(pb.OversightRequest(organisation=f"inst-{uid()}"),
                                          metadata=signed(sup))
        assert o.supervisor == sup.organisation and len(o.institutions) == 1
        s = await stub.GetReportingStatus(pb.ReportingStatusRequest(year=year), metadata=signed(sup))
        assert (s.year, s.institution_deadline) == (year, f"{year + 1}-03-31")
        try:
            await stub.GetReportingStatus(pb.ReportingStatusRequest(year=0), metadata=signed(sup))
            raise AssertionError("year 0 accepted")
        except grpc.aio.AioRpcError as exc:
            assert exc.code() == grpc.StatusCode.INVALID_ARGUMENT and "year" in exc.details()


async def registered_achievement(api, platform, org: str, code: str) -> str:
    me = institution(org)
    body = {"title": f"成果 {uid()}", "abstract": "x", "field": "energy", "type": "material", "trl": 5,
            "funding": {"fiscal": True, "plan": "国家重点研发计划", "project_code": code}, "submit": True}
    r = await api.post("/api/v1/achievements", json=body, headers=me)
    assert r.status_code == 201, r.text
    aid = r.json()["achievement_id"]
    assert (await api.post(f"/api/v1/achievements/{aid}/approve", headers=OPERATOR)).status_code == 200
    return aid


async def test_fiscal_obligations_overdue_listed_and_flagged_once(api, platform):
    holder = f"holder-{uid()}"
    ok, no_report, nothing, future = (f"ZX{uid()}-{n}" for n in ("ok", "norep", "none", "future"))
    today = platform.clock.now().astimezone(CHINA).date()
    # the projects end after the achievements' 30-day notice: the registry's timers sweep obligations
    # and conclude notices on their own, so an achievement still in notice when its project ends
    # would (rightly) be owed too, depending on which timer ran first
    end = (today + timedelta(days=32)).isoformat()
    for code, end_date in ((ok, end), (no_report, end), (nothing, end),
                           (future, (today + timedelta(days=400)).isoformat())):
        r = await api.post("/api/v1/funded-projects", headers=OPERATOR, json={
            "project_code": code, "fiscal_plan": "国家重点研发计划", "holder": holder, "end_date": end_date})
        assert r.status_code == 201 and r.json()["version"] == "1", r.text
    r = await api.post("/api/v1/funded-projects", headers=OPERATOR,
                       json={"project_code": ok, "fiscal_plan": "p", "holder": holder, "end_date": end})
    assert r.status_code == 409 and r.json()["field"] == "project_code"
    r = await api.post("/api/v1/funded-projects", headers=OPERATOR,
                       json={"project_code": f"x{uid()}", "fiscal_plan": "p", "holder": holder,
                             "end_date": "2026-13-01"})
    assert r.status_code == 400 and r.json()["field"] == "end_date"
    r = await api.post("/api/v1/funded-projects", headers=institution(holder),
                       json={"project_code": f"x{uid()}", "fiscal_plan": "p", "holder": holder, "end_date": end})
    assert r.status_code == 403
    for code in (ok, no_report):
        await registered_achievement(api, platform, holder, code)
    r = await api.post("/api/v1/tech-reports", headers=institution(holder), json={
        "title": "结题技术报告", "content": "技术报告正文", "sharing": "CONFIDENTIAL", "project_code": ok})
    assert r.status_code == 201, r.text
    r = await api.post("/api/v1/tech-reports", headers=institution(f"other-{uid()}"), json={
        "title": "他人的报告", "content": "正文", "sharing": "PUBLIC", "project_code": no_report})
    assert r.status_code == 201, r.text   # filed, but not by the holder: no_report still owes its report
    # nothing is overdue before the end date
    listed = (await api.get("/api/v1/obligations/overdue", params={"holder": holder}, headers=OPERATOR)).json()
    assert listed == {"items": [], "counts_technology_reports": True}
    platform.clock.advance(days=30, seconds=1)          # notices end
    assert (await api.post("/api/v1/registry/notices/conclude", headers=OPERATOR)).status_code == 200
    listed = (await api.get("/api/v1/obligations/overdue", params={"holder": holder}, headers=OPERATOR)).json()
    assert listed == {"items": [], "counts_technology_reports": True}
    platform.clock.advance(days=3)                       # so do the projects
    listed = (await api.get("/api/v1/obligations/overdue", params={"holder": holder}, headers=OPERATOR)).json()
    assert [(i["project"]["project_code"], i["missing"]) for i in listed["items"]] == sorted([
        (no_report, ["technology report"]), (nothing, ["registered achievement", "technology report"])])
    mine = (await api.get("/api/v1/obligations/overdue", headers=institution(holder))).json()
    assert [i["project"]["project_code"] for i in mine["items"]] == sorted([no_report, nothing])
    assert (await api.post("/api/v1/registry/obligations/check", headers=institution(holder))).status_code == 403
    assert (await api.post("/api/v1/registry/obligations/check", headers=OPERATOR)).status_code == 200
    again = (await api.post("/api/v1/registry/obligations/check", headers=OPERATOR)).json()
    assert not {no_report, nothing} & set(again["overdue"])
    for code, flagged in ((ok, 0), (no_report, 1), (nothing, 1), (future, 0)):
        events = await outbox(platform, "ObligationOverdue", code)
        assert len(events) == flagged, code
        got = (await api.get(f"/api/v1/funded-projects/{code}", headers=institution(holder))).json()
        assert got.get("overdue", False) is bool(flagged)
    events = await outbox(platform, "ObligationOverdue", nothing)
    assert events[0].project.overdue and events[0].project.version == 2
    assert events[0].project.note == "missing: registered achievement, technology report"
    assert (await api.get(f"/api/v1/funded-projects/{ok}", headers=institution(f"x-{uid()}"))).status_code == 403
    assert [e.project.met for e in await outbox(platform, "ObligationMet", ok)] == [True]   # met on time
    # the holder files its report late: the flag clears at the next check, with ObligationMet
    r = await api.post("/api/v1/tech-reports", headers=institution(holder), json={
        "title": "补交的结题技术报告", "content": "正文", "sharing": "CONFIDENTIAL", "project_code": no_report})
    assert r.status_code == 201, r.text
    assert no_report not in (await api.post("/api/v1/registry/obligations/check", headers=OPERATOR)).json()["overdue"]
    got = (await api.get(f"/api/v1/funded-projects/{no_report}", headers=institution(holder))).json()
    assert (got.get("overdue", False), got["met"], got["note"]) == (False, True, "met (was overdue: technology report)")
    assert [e.project.met for e in await outbox(platform, "ObligationMet", no_report)] == [True]
    listed = (await api.get("/api/v1/obligations/overdue", params={"holder": holder}, headers=OPERATOR)).json()
    assert [i["project"]["project_code"] for i in listed["items"]] == [nothing]
