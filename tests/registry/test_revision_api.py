"""Revising an achievement through the gateway (PATCH /api/v1/achievements/{id}; real gateway,
gRPC, Mongo and broker): the owner edits a draft, then a record returned for revision and
resubmits it — a new version, an audit entry and AchievementRevised each time; every refusal
(state, organisation, role, bad input) is a problem naming the field and changes nothing."""

import uuid

import httpx
import pytest

from bth.registry.v1 import achievement_pb2
from tests.support.identity import bearer

OPERATOR = bearer("op-revise", "org-platform", "BEIJING", "operator")


def institution() -> dict:
    org = f"org-rev-{uuid.uuid4().hex[:8]}"
    return bearer(f"user-{org}", org, "BEIJING", "institution")


@pytest.fixture
async def c(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=15) as client:
        yield client


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


def problem(r: httpx.Response, status: int, field: str) -> dict:
    assert r.status_code == status and r.headers["content-type"] == "application/problem+json", (r.status_code,
                                                                                                  r.text)
    assert r.json()["field"] == field, r.text
    return r.json()


async def revised_events(platform, aid: str) -> list[achievement_pb2.AchievementRevised]:
    cursor = platform.hosts["registry"].db["outbox"].find(
        {"key": aid, "type": "bth.registry.v1.AchievementRevised"}, sort=[("_id", 1)])
    return [achievement_pb2.AchievementRevised.FromString(r["data"]) async for r in cursor]


async def test_an_owner_revises_a_draft_then_a_returned_record_and_resubmits_it(c, platform):
    me = institution()
    title = f"钙钛矿叠层电池 {uuid.uuid4().hex[:6]}"
    a = ok(await c.post("/api/v1/achievements", headers=me, json={
        "title": title, "field": "energy", "type": "material", "trl": 4}), 201)
    aid = a["achievement_id"]
    r = ok(await c.patch(f"/api/v1/achievements/{aid}", headers=me, json={
        "abstract": "效率 31%", "keywords": ["钙钛矿", "叠层"], "trl": 5}))
    assert (r["status"], r["version"], r["trl"], r["keywords"], r["abstract"], r["title"]) == (
        "DRAFT", str(int(a["version"]) + 1), 5, ["钙钛矿", "叠层"], "效率 31%", title)
    hits = ok(await c.get("/api/v1/queues/my-drafts", headers=me))["items"]
    assert [(h["achievement_id"], h["trl"]) for h in hits] == [(aid, 5)]

    ok(await c.post(f"/api/v1/achievements/{aid}/submit", headers=me))
    ok(await c.post(f"/api/v1/achievements/{aid}/return", headers=OPERATOR, json={"note": "请补充第三方检测报告"}))
    r = ok(await c.patch(f"/api/v1/achievements/{aid}", headers=me, json={
        "linked_ip": [{"kind": "report", "reference": "CNAS-2026-118", "title": "第三方检测报告"}],
        "submit": True, "note": "补充检测报告"}))
    assert (r["status"], r["linked_ip"][0]["reference"]) == ("SUBMITTED", "CNAS-2026-118")
    audit = ok(await c.get(f"/api/v1/achievements/{aid}/audit", headers=me))["entries"]
    assert [(e["action"], e.get("from_state", ""), e["to_state"], e.get("note", "")) for e in audit] == [
        ("draft", "", "DRAFT", ""), ("revise", "DRAFT", "DRAFT", "revised: abstract, keywords, trl"),
        ("submit", "DRAFT", "SUBMITTED", ""), ("return", "SUBMITTED", "RETURNED", "请补充第三方检测报告"),
        ("revise", "RETURNED", "RETURNED", "补充检测报告"), ("submit", "RETURNED", "SUBMITTED", "")]
    events = await revised_events(platform, aid)
    assert [(e.note, e.achievement.status, e.actor) for e in events] == [
        ("abstract, keywords, trl", achievement_pb2.DRAFT, events[0].actor),
        ("linked_ip", achievement_pb2.RETURNED, events[0].actor)]
    assert [e.achievement.version for e in events] == [int(a["version"]) + 1, int(r["version"]) - 1]
    assert ok(await c.get("/api/v1/queues/my-drafts", headers=me))["items"] == []


async def test_refused_revisions_change_nothing(c, platform):
    me, stranger = institution(), institution()
    aid = ok(await c.post("/api/v1/achievements", headers=me, json={
        "title": f"氢燃料电池膜电极 {uuid.uuid4().hex[:6]}", "field": "energy", "type": "material", "trl": 4,
        "submit": True}), 201)["achievement_id"]
    before = ok(await c.get(f"/api/v1/achievements/{aid}", headers=me))
    refusals = [
        (me, {"title": "改名"}, 409, "status"),                       # submitted: not editable
        (stranger, {"title": "改名"}, 403, "achievement_id"),          # another organisation
        (OPERATOR, {"title": "改名"}, 403, None),                      # not a role that revises
        (me, {"trl": 12}, 422, "trl"),
        (me, {"status": "REGISTERED"}, 422, "status"),
    ]
    for headers, body, status, field in refusals:
        r = await c.patch(f"/api/v1/achievements/{aid}", headers=headers, json=body)
        assert r.status_code == status, (body, r.status_code, r.text)
        assert r.json().get("field") == field, r.text
    ok(await c.post(f"/api/v1/achievements/{aid}/return", headers=OPERATOR, json={"note": "补充材料"}))
    before = ok(await c.get(f"/api/v1/achievements/{aid}", headers=me))
    problem(await c.patch(f"/api/v1/achievements/{aid}", headers=me, json={"field": "astrology"}), 400, "field")
    problem(await c.patch(f"/api/v1/achievements/{aid}", headers=me, json={"note": "只写说明"}), 400, "fields")
    problem(await c.patch(f"/api/v1/achievements/{aid}", headers=me, json={
        "funding": {"fiscal": True, "plan": "北京市科技计划"}}), 400, "funding.project_code")
    after = ok(await c.get(f"/api/v1/achievements/{aid}", headers=me))
    assert after == before and after["status"] == "RETURNED"
    assert await revised_events(platform, aid) == []
