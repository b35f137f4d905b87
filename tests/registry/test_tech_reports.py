"""Technology reports: sharing levels (who reads what), the access-request flow with exact
states, and the events (bth.registry.tech_report.v1) that never carry non-public content."""

import uuid
from datetime import UTC, datetime

import pytest
from aiokafka import AIOKafkaConsumer

from bth.registry.v1 import tech_report_pb2
from services.common.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from services.common.identity import Principal
from services.registry.domain import tech_report
from tests.conftest import eventually
from tests.support.identity import bearer

NOW = datetime(2026, 3, 1, tzinfo=UTC)
HOLDER = Principal("h-1", "org-holder", "BEIJING", frozenset({"institution"}))
COLLEAGUE = Principal("h-2", "org-holder", "BEIJING", frozenset({"institution"}))
ASKER = Principal("e-1", "org-ent", "TIANJIN", frozenset({"enterprise"}))
OTHER = Principal("e-2", "org-ent2", "HEBEI", frozenset({"enterprise"}))
OPERATOR = Principal("op", "platform", "BEIJING", frozenset({"operator"}))


def _file(sharing: str, **kw) -> tech_report.TechReport:
    args = {"title": "结题技术报告", "content": "SECRET-BODY", "summary": "概要", "project_code": "Z2026-001"} | kw
    return tech_report.file("r-1", HOLDER, NOW, sharing=sharing, **args)


def test_public_report_is_read_by_everyone_and_its_event_carries_the_content():
    r = _file("PUBLIC")
    for who in (HOLDER, ASKER, OTHER, OPERATOR):
        assert r.view(who)["content"] == "SECRET-BODY" and r.view(who)["content_withheld"] is False
    assert r.events[0].tech_report["content"] == "SECRET-BODY" and r.events[0].tech_report["version"] == 1
    with pytest.raises(TransitionRefused) as e:
        r.request_access("q", ASKER, NOW, "need it")
    assert e.value.field == "sharing"


def test_confidential_report_exists_only_for_holder_and_operators():
    r = _file("CONFIDENTIAL")
    assert r.view(HOLDER)["content"] == r.view(COLLEAGUE)["content"] == r.view(OPERATOR)["content"] == "SECRET-BODY"
    for who in (ASKER, OTHER):
        with pytest.raises(NotFound):
            r.view(who)
        with pytest.raises(NotFound):
            r.request_access("q", who, NOW, "please")
    event = r.events[0].tech_report
    assert event["content"] == "" and event["content_withheld"] is True and event["title"] == "结题技术报告"


def test_restricted_report_flow_request_grant_deny_with_exact_states():
    r = _file("RESTRICTED")
    assert r.view(ASKER)["content"] == "" and r.view(ASKER)["content_withheld"] is True
    assert r.view(HOLDER)["content"] == "SECRET-BODY"
    with pytest.raises(InvalidInput) as e:
        r.request_access("q0", ASKER, NOW, "  ")
    assert e.value.field == "reason"
    with pytest.raises(TransitionRefused):
        r.request_access("q0", COLLEAGUE, NOW, "mine")          # the holder reads its own
    r.request_access("q1", ASKER, NOW, "evaluate licensing")
    r.request_access("q2", OTHER, NOW, "curious")
    with pytest.raises(TransitionRefused):
        r.request_access("q3", ASKER, NOW, "again")             # one pending at a time
    assert [a["request_id"] for a in r.view(ASKER)["access_requests"]] == ["q1"]   # only one's own
    assert len(r.view(HOLDER)["access_requests"]) == 2
    with pytest.raises(Forbidden):
        r.decide("q1", ASKER, NOW, True)                          # not the holder
    with pytest.raises(Forbidden):
        r.decide("q2", ASKER, NOW, True)
    with pytest.raises(NotFound) as e:
        r.decide("nope", HOLDER, NOW, True)
    assert e.value.field == "request_id"
    r.decide("q1", COLLEAGUE, NOW, True, "ok")
    r.decide("q2", HOLDER, NOW, False, "no")
    with pytest.raises(TransitionRefused):
        r.decide("q1", HOLDER, NOW, False)
    assert r.view(ASKER)["content"] == "SECRET-BODY"
    assert r.view(OTHER)["content"] == "" and r.view(OTHER)["access_requests"][0]["status"] == "DENIED"
    r.request_access("q4", OTHER, NOW, "second try")            # after a denial, may ask again
    assert [(a.request_id, a.status) for a in r.access_requests] == [("q1", "GRANTED"), ("q2", "DENIED"),
                                                                     ("q4", "PENDING")]
    assert [type(ev).__name__ for ev in r.events] == [
        "TechReportFiled", "TechReportAccessRequested", "TechReportAccessRequested", "TechReportAccessGranted",
        "TechReportAccessDenied", "TechReportAccessRequested"]
    assert r.version == 6 and all(ev.tech_report["content"] == "" for ev in r.events)


@pytest.mark.parametrize("kw, field", [({"sharing": "SECRET"}, "sharing"),
                                       ({"project_code": ""}, "achievement_id"),
                                       ({"project_code": "bad code!"}, "project_code"),
                                       ({"title": ""}, "title"), ({"content": " "}, "content")])
def test_bad_input_names_the_field(kw, field):
    args = {"sharing": "PUBLIC", "title": "t", "content": "c", "project_code": "P-1"} | kw
    with pytest.raises(InvalidInput) as e:
        tech_report.file("r", HOLDER, NOW, **args)
    assert e.value.field == field


def test_only_the_achievements_owner_files_for_it():
    with pytest.raises(Forbidden) as e:
        tech_report.file("r", ASKER, NOW, sharing="PUBLIC", title="t", content="c", achievement_id="a-1",
                         achievement_owner="org-holder")
    assert e.value.field == "achievement_id"
    r = tech_report.file("r", OPERATOR, NOW, sharing="PUBLIC", title="t", content="c", achievement_id="a-1",
                         achievement_owner="org-holder")
    assert r.holder == "org-holder"


async def test_reports_over_rest_who_reads_what_and_events(api, platform, kafka_settings):
    org = f"org-tr-{uuid.uuid4().hex[:6]}"
    holder = bearer(f"u-{org}", org, "BEIJING", "institution")
    asker = bearer(f"ent-{org}", f"ent-{org}", "TIANJIN", "enterprise")
    other = bearer(f"ent2-{org}", f"ent2-{org}", "HEBEI", "enterprise")
    operator = bearer("op-tr", "platform", "BEIJING", "operator")
    a = await api.post("/api/v1/achievements", headers=holder, json={
        "title": f"高温超导带材 {org}", "field": "new-materials", "type": "material", "trl": 5})
    assert a.status_code == 201, a.text
    aid = a.json()["achievement_id"]
    r = await api.post("/api/v1/tech-reports", headers=asker, json={
        "achievement_id": aid, "title": "t", "content": "c", "sharing": "PUBLIC"})
    assert r.status_code == 403 and r.json()["field"] == "achievement_id"
    r = await api.post("/api/v1/tech-reports", headers=holder, json={
        "achievement_id": aid, "title": "t", "content": "c", "sharing": "PUBLIC", "x": 1})
    assert r.status_code == 422 and r.json()["field"] == "x"
    ids = {}
    for sharing in ("PUBLIC", "RESTRICTED", "CONFIDENTIAL"):
        r = await api.post("/api/v1/tech-reports", headers=holder, json={
            "achievement_id": aid, "title": f"{sharing} 报告", "content": f"BODY-{sharing}-{org}",
            "summary": "s", "sharing": sharing})
        assert r.status_code == 201, r.text
        assert r.json()["holder"] == org and r.json()["version"] == "1"
        ids[sharing] = r.json()["report_id"]

    async def read(headers, sharing):
        return await api.get(f"/api/v1/tech-reports/{ids[sharing]}", headers=headers)

    assert (await read(asker, "PUBLIC")).json()["content"] == f"BODY-PUBLIC-{org}"
    restricted = (await read(asker, "RESTRICTED")).json()
    assert "content" not in restricted and restricted["content_withheld"] is True
    assert (await read(asker, "CONFIDENTIAL")).status_code == 404
    assert (await read(operator, "CONFIDENTIAL")).json()["content"] == f"BODY-CONFIDENTIAL-{org}"
    assert (await read(holder, "CONFIDENTIAL")).json()["content"] == f"BODY-CONFIDENTIAL-{org}"
    r = await api.post(f"/api/v1/tech-reports/{ids['CONFIDENTIAL']}/access-requests", headers=asker,
                       json={"reason": "r"})
    assert r.status_code == 404

    rid = ids["RESTRICTED"]
    r1 = await api.post(f"/api/v1/tech-reports/{rid}/access-requests", headers=asker, json={"reason": "评估许可"})
    r2 = await api.post(f"/api/v1/tech-reports/{rid}/access-requests", headers=other, json={"reason": "研究"})
    assert r1.status_code == r2.status_code == 201
    q1, q2 = r1.json()["access_requests"][0]["request_id"], r2.json()["access_requests"][0]["request_id"]
    assert r1.json()["access_requests"][0]["status"] == "PENDING"
    again = await api.post(f"/api/v1/tech-reports/{rid}/access-requests", headers=asker, json={"reason": "x"})
    assert again.status_code == 409
    r = await api.post(f"/api/v1/tech-reports/{rid}/access-requests/{q2}/grant", headers=asker)
    assert r.status_code == 403
    r = await api.post(f"/api/v1/tech-reports/{rid}/access-requests/{q1}/grant", headers=holder,
                       json={"note": "ok"})
    assert r.status_code == 200 and [q["status"] for q in r.json()["access_requests"]] == ["GRANTED", "PENDING"]
    r = await api.post(f"/api/v1/tech-reports/{rid}/access-requests/{q2}/deny", headers=holder)
    assert r.status_code == 200
    assert (await api.post(f"/api/v1/tech-reports/{rid}/access-requests/{q2}/grant",
                           headers=holder)).status_code == 409
    assert (await read(asker, "RESTRICTED")).json()["content"] == f"BODY-RESTRICTED-{org}"
    denied = (await read(other, "RESTRICTED")).json()
    assert "content" not in denied and [q["status"] for q in denied["access_requests"]] == ["DENIED"]
    assert (await read(holder, "RESTRICTED")).json()["version"] == "5"

    consumer = AIOKafkaConsumer("bth.registry.tech_report.v1", group_id=f"t-{uuid.uuid4()}",
                                auto_offset_reset="earliest", **kafka_settings.client_options())
    await consumer.start()
    mine = []
    try:
        async def poll():
            batch = await consumer.getmany(timeout_ms=500)
            mine.extend(r for rs in batch.values() for r in rs if r.key.decode() in ids.values())
            return len(mine) >= 7
        await eventually(poll)
    finally:
        await consumer.stop()
    by_report = {}
    for rec in mine:
        name = dict(rec.headers)["ce_type"].decode().rsplit(".", 1)[-1]
        msg = getattr(tech_report_pb2, name).FromString(rec.value)
        by_report.setdefault(rec.key.decode(), []).append((name, msg.tech_report.version, msg.tech_report.content))
    assert by_report[ids["PUBLIC"]] == [("TechReportFiled", 1, f"BODY-PUBLIC-{org}")]
    assert by_report[ids["CONFIDENTIAL"]] == [("TechReportFiled", 1, "")]
    assert by_report[rid] == [("TechReportFiled", 1, ""), ("TechReportAccessRequested", 2, ""),
                              ("TechReportAccessRequested", 3, ""), ("TechReportAccessGranted", 4, ""),
                              ("TechReportAccessDenied", 5, "")]
    assert all(f"BODY-CONFIDENTIAL-{org}".encode() not in rec.value for rec in mine)
