"""The registry's work queues through the gateway (real gateway, gRPC, Mongo and broker; the
shared ManualClock moved a second between creations so the order is exact): each queue holds
exactly what waits on its reader, oldest first, and another role gets a 403 problem. Global
queues are compared on the ids this test created (the platform is shared)."""

import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from tests.conftest import eventually
from tests.gateway.queue_support import bad, forbidden, ids, ok, person
from tests.support.identity import bearer

OPERATOR = bearer("op-queues", "org-platform", "BEIJING", "operator")


@pytest.fixture
async def c(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=15) as client:
        yield client


async def draft(c, platform, headers: dict, submit: bool = False) -> str:
    platform.clock.advance(seconds=1)
    body = {"title": f"钠离子电池正极材料 {uuid.uuid4().hex[:8]}", "field": "energy", "type": "material", "trl": 5,
            "submit": submit}
    return ok(await c.post("/api/v1/achievements", headers=headers, json=body), 201)["achievement_id"]


async def test_my_drafts_hold_own_drafts_and_returned_records_oldest_first(c, platform):
    me, _ = person("institution")
    other, _ = person("enterprise", "HEBEI")
    a = await draft(c, platform, me)
    b = await draft(c, platform, me, submit=True)
    ok(await c.post(f"/api/v1/achievements/{b}/return", headers=OPERATOR, json={"note": "补充测试报告"}))
    await draft(c, platform, me, submit=True)                      # submitted: waits on the reviewer
    gone = await draft(c, platform, me)
    ok(await c.post(f"/api/v1/achievements/{gone}/withdraw", headers=me, json={}))
    theirs = await draft(c, platform, other)

    assert await ids(c, "my-drafts", me, "achievement_id") == [a, b]
    assert await ids(c, "my-drafts", other, "achievement_id") == [theirs]
    assert await ids(c, "my-drafts", me, "achievement_id", state="RETURNED") == [b]
    first = ok(await c.get("/api/v1/queues/my-drafts", headers=me, params={"page_size": 1}))
    assert [i["achievement_id"] for i in first["items"]] == [a] and first["next_cursor"]
    second = ok(await c.get("/api/v1/queues/my-drafts", headers=me,
                            params={"page_size": 1, "cursor": first["next_cursor"]}))
    assert ([i["achievement_id"] for i in second["items"]], second["next_cursor"]) == ([b], "")
    assert [i["status"] for i in first["items"] + second["items"]] == ["DRAFT", "RETURNED"]

    await forbidden(c, "my-drafts", person("buyer")[0])
    await forbidden(c, "my-drafts", OPERATOR)
    await bad(c, "my-drafts", me, "state", state="SUBMITTED")
    await bad(c, "my-drafts", me, "due_before", due_before="2026-01-01T00:00:00Z")
    await bad(c, "my-drafts", me, "cursor", cursor="not-a-cursor")


async def test_the_review_queue_holds_submitted_achievements_of_overseen_institutions(c, platform):
    supervisor, _ = person("supervisor")
    overseen, overseen_org = person("institution")
    elsewhere, _ = person("institution", "TIANJIN")
    ok(await c.put(f"/api/v1/oversight/institutions/{overseen_org}", headers=supervisor))
    x = await draft(c, platform, overseen, submit=True)
    await draft(c, platform, overseen)                              # a draft waits on no reviewer
    y = await draft(c, platform, overseen, submit=True)
    z = await draft(c, platform, elsewhere, submit=True)

    assert await ids(c, "review", supervisor, "achievement_id") == [x, y]
    assert await ids(c, "review", person("supervisor")[0], "achievement_id") == []
    opened = ok(await c.get(f"/api/v1/achievements/{x}", headers=supervisor))     # what it lists, it can open
    assert (opened["achievement_id"], opened["status"]) == (x, "SUBMITTED")
    assert (await c.get(f"/api/v1/achievements/{z}", headers=supervisor)).status_code == 404   # not overseen
    assert await ids(c, "review", OPERATOR, "achievement_id", among={x, y, z}) == [x, y, z]
    assert await ids(c, "review", OPERATOR, "achievement_id", among={x, y, z}, region="TIANJIN") == [z]
    ok(await c.post(f"/api/v1/achievements/{x}/approve", headers=OPERATOR, json={}))
    assert await ids(c, "review", supervisor, "achievement_id") == [y]

    await forbidden(c, "review", overseen)
    await forbidden(c, "review", person("expert")[0])
    r = await c.get("/api/v1/queues/review", headers=supervisor, params={"region": "MARS"})
    assert r.status_code == 422 and r.json()["field"] == "query.region", r.text


async def test_notices_ending_and_objections_by_the_end_of_the_notice(c, platform):
    owner, _ = person("institution")
    x = await draft(c, platform, owner, submit=True)
    y = await draft(c, platform, owner, submit=True)
    ends = {}
    for aid in (x, y):
        platform.clock.advance(seconds=1)
        ends[aid] = ok(await c.post(f"/api/v1/achievements/{aid}/approve", headers=OPERATOR,
                                    json={}))["notice_ends_at"]
    objector, _ = person("enterprise", "HEBEI")
    ok(await c.post(f"/api/v1/achievements/{y}/objections", headers=objector, json={"reason": "专利权属存在争议"}), 201)

    assert await ids(c, "notices-ending", OPERATOR, "achievement_id", among={x, y}) == [x, y]
    assert await ids(c, "objections", OPERATOR, "achievement_id", among={x, y}) == [y]
    just_after_x = (datetime.fromisoformat(ends[x]) + timedelta(milliseconds=500)).isoformat()
    assert await ids(c, "notices-ending", OPERATOR, "achievement_id", among={x, y}, due_before=just_after_x) == [x]
    assert await ids(c, "objections", OPERATOR, "achievement_id", among={x, y}, due_before=just_after_x) == []

    await forbidden(c, "notices-ending", person("supervisor")[0])
    await forbidden(c, "objections", owner)


async def test_annual_reports_to_review_by_the_supervisor_deadline(c, platform):
    supervisor, _ = person("supervisor")
    first, first_org = person("institution")
    second, second_org = person("institution")
    for org in (first_org, second_org):
        ok(await c.put(f"/api/v1/oversight/institutions/{org}", headers=supervisor))
    year = platform.clock.now().year
    figures = {"income": "100000.00", "researcher_rewards": "80000.00", "people_involved": 3}
    r1 = ok(await c.post("/api/v1/annual-reports", headers=first, json={"year": year - 1, **figures}),
            201)["report_id"]
    r2 = ok(await c.post("/api/v1/annual-reports", headers=second, json={"year": year - 2, **figures}),
            201)["report_id"]

    assert await ids(c, "annual-reports", supervisor, "report_id") == [r2, r1]      # the older cycle is due first
    assert await ids(c, "annual-reports", person("supervisor")[0], "report_id") == []
    ok(await c.post(f"/api/v1/annual-reports/{r2}/return", headers=supervisor, json={"note": "收入口径不一致"}))
    assert await ids(c, "annual-reports", supervisor, "report_id") == [r1]
    assert await ids(c, "annual-reports", supervisor, "report_id", state="RETURNED") == [r2]
    assert await ids(c, "annual-reports", OPERATOR, "report_id", among={r1, r2}) == [r1]
    cycle_end = f"{year}-01-01T00:00:00+08:00"      # r2's deadline ({year - 1}-04-30) is before it, r1's is not
    assert await ids(c, "annual-reports", supervisor, "report_id", state="RETURNED", due_before=cycle_end) == [r2]
    assert await ids(c, "annual-reports", supervisor, "report_id", due_before=cycle_end) == []

    await forbidden(c, "annual-reports", first)
    await forbidden(c, "annual-reports", person("expert")[0])
    await bad(c, "annual-reports", supervisor, "region", region="BEIJING")
    await bad(c, "annual-reports", supervisor, "state", state="OPEN")


async def test_overdue_obligations_by_end_date(c, platform):
    tag = uuid.uuid4().hex[:8]
    codes = {f"Q-{tag}-{n}": end for n, end in (("a", "2020-06-30"), ("b", "2019-03-31"), ("c", "2099-12-31"))}
    for code, end in codes.items():
        ok(await c.post("/api/v1/funded-projects", headers=OPERATOR, json={
            "project_code": code, "fiscal_plan": "北京市科技计划", "holder": f"org-holder-{tag}",
            "end_date": end}), 201)
    # flagged by this call or, just before it, by the registry worker's timer
    assert (await c.post("/api/v1/registry/obligations/check", headers=OPERATOR)).status_code == 200

    async def both_flagged():
        found = await ids(c, "overdue-obligations", OPERATOR, "project_code", among=set(codes))
        return found if len(found) == 2 else None
    assert await eventually(both_flagged) == [f"Q-{tag}-b", f"Q-{tag}-a"]
    assert await ids(c, "overdue-obligations", OPERATOR, "project_code", among=set(codes),
                     due_before="2020-01-01T00:00:00Z") == [f"Q-{tag}-b"]

    await forbidden(c, "overdue-obligations", person("supervisor")[0])
    await bad(c, "overdue-obligations", OPERATOR, "state", state="OVERDUE")
    await bad(c, "overdue-obligations", OPERATOR, "region", region="HEBEI")
