"""Achievement lifecycle on the platform: REST and gRPC, real broker and Mongo server,
the notice period driven by the shared ManualClock."""

import uuid

import grpc
import pytest

from bth.registry.v1 import achievement_pb2, registry_service_pb2_grpc
from bth.registry.v1 import registry_service_pb2 as pb
from services.common.identity import Principal
from tests.conftest import eventually
from tests.support.identity import bearer, signed

OPERATOR = bearer("op-1", "platform", "BEIJING", "operator")
STRANGER = bearer("ent-9", "org-enterprise-9", "HEBEI", "enterprise")


def owner():
    org = f"org-{uuid.uuid4().hex[:8]}"
    return org, bearer(f"user-{org}", org, "BEIJING", "institution")


def body(**extra):
    return {"title": f"固态电池电解质 {uuid.uuid4().hex[:6]}", "abstract": "Solid electrolyte", "field": "energy",
            "type": "material", "trl": 5, "funding": {"fiscal": True, "plan": "北京市科技计划",
                                                     "project_code": "Z2026-001"}, **extra}


async def submitted(api, headers, **extra) -> str:
    r = await api.post("/api/v1/achievements", json=body(submit=True, **extra), headers=headers)
    assert r.status_code == 201, r.text
    return r.json()["achievement_id"]


async def test_submit_approve_notice_register_by_operator_call(api, platform):
    org, me = owner()
    aid = await submitted(api, me)
    assert (await api.post(f"/api/v1/achievements/{aid}/approve", headers=me)).status_code == 403
    r = await api.post(f"/api/v1/achievements/{aid}/approve", json={"note": "formal review ok"}, headers=OPERATOR)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "IN_NOTICE"
    # public during the notice: anyone reads it; concluding now registers nothing of ours
    assert (await api.get(f"/api/v1/achievements/{aid}", headers=STRANGER)).json()["status"] == "IN_NOTICE"
    r = await api.post("/api/v1/registry/notices/conclude", headers=OPERATOR)
    assert r.status_code == 200 and aid not in r.json()["registered"]
    assert (await api.post("/api/v1/registry/notices/conclude", headers=me)).status_code == 403
    platform.clock.advance(days=30, seconds=1)
    r = await api.post("/api/v1/registry/notices/conclude", headers=OPERATOR)
    registered = await api.get(f"/api/v1/achievements/{aid}", headers=me)
    got = registered.json()
    assert got["status"] == "REGISTERED", got
    year = platform.clock.now().year
    assert got["registration_number"].startswith(f"110000-{year}-M-")
    assert got["certificate"]["registration_number"] == got["registration_number"]
    assert got["certificate"]["holder"] == org
    audit = (await api.get(f"/api/v1/achievements/{aid}/audit", headers=me)).json()["entries"]
    assert [(e["action"], e.get("from_state", ""), e["to_state"]) for e in audit] == [
        ("draft", "", "DRAFT"), ("submit", "DRAFT", "SUBMITTED"), ("approve", "SUBMITTED", "IN_NOTICE"),
        ("register", "IN_NOTICE", "REGISTERED")]
    assert [e["actor"] for e in audit] == [f"user-{org}", f"user-{org}", "op-1", "system"]


async def test_serials_increase_by_one_per_registration(api, platform):
    _, me = owner()
    ids = [await submitted(api, me, title=f"序号测试 {uuid.uuid4().hex[:6]}") for _ in range(2)]
    for aid in ids:
        await api.post(f"/api/v1/achievements/{aid}/approve", headers=OPERATOR)
    platform.clock.advance(days=31)
    await api.post("/api/v1/registry/notices/conclude", headers=OPERATOR)
    numbers = [(await api.get(f"/api/v1/achievements/{a}", headers=me)).json()["registration_number"] for a in ids]
    serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert serials[1] == serials[0] + 1


async def test_worker_timer_registers_after_the_notice(api, platform):
    _, me = owner()
    aid = await submitted(api, me)
    await api.post(f"/api/v1/achievements/{aid}/approve", headers=OPERATOR)
    platform.clock.advance(days=31)

    async def registered():
        r = await api.get(f"/api/v1/achievements/{aid}", headers=me)
        return r.json()["status"] == "REGISTERED"
    await eventually(registered, timeout=20)


async def test_objection_upheld_returns_then_resubmit(api, platform):
    _, me = owner()
    aid = await submitted(api, me)
    await api.post(f"/api/v1/achievements/{aid}/approve", headers=OPERATOR)
    r = await api.post(f"/api/v1/achievements/{aid}/objections", json={"reason": "我们是共同权利人"},
                       headers=STRANGER)
    assert r.status_code == 201, r.text
    objection = r.json()["objections"][0]
    assert objection["status"] == "OPEN" and objection["lodged_by"] == "ent-9"
    platform.clock.advance(days=31)
    r = await api.post("/api/v1/registry/notices/conclude", headers=OPERATOR)
    assert aid not in r.json()["registered"]  # an open objection holds registration
    r = await api.post(f"/api/v1/achievements/{aid}/objections/{objection['objection_id']}/resolve",
                       json={"uphold": True, "resolution": "co-ownership confirmed"}, headers=OPERATOR)
    assert r.status_code == 200 and r.json()["status"] == "RETURNED"
    assert r.json()["review_note"] == "co-ownership confirmed"
    r = await api.post(f"/api/v1/achievements/{aid}/submit", headers=me)
    assert r.json()["status"] == "SUBMITTED"


async def test_objection_after_notice_end_is_refused(api, platform):
    _, me = owner()
    aid = await submitted(api, me)
    await api.post(f"/api/v1/achievements/{aid}/approve", headers=OPERATOR)
    platform.clock.advance(days=30)
    r = await api.post(f"/api/v1/achievements/{aid}/objections", json={"reason": "late"}, headers=STRANGER)
    assert r.status_code == 409 and r.json()["field"] == "notice_ends_at"


async def test_return_reject_withdraw_and_refusals(api, platform):
    _, me = owner()
    a1, a2 = await submitted(api, me), await submitted(api, me)
    r = await api.post(f"/api/v1/achievements/{a1}/return", json={"note": ""}, headers=OPERATOR)
    assert r.status_code == 400 and r.json()["field"] == "note"
    r = await api.post(f"/api/v1/achievements/{a1}/return", json={"note": "补充专利号"}, headers=OPERATOR)
    assert r.json()["status"] == "RETURNED"
    r = await api.post(f"/api/v1/achievements/{a2}/reject", json={"note": "not original"}, headers=OPERATOR)
    assert r.json()["status"] == "REJECTED"
    r = await api.post(f"/api/v1/achievements/{a2}/withdraw", headers=me)
    assert r.status_code == 409 and r.json()["type"].endswith("/transition-refused")
    assert (await api.post(f"/api/v1/achievements/{a1}/withdraw", headers=STRANGER)).status_code == 403
    r = await api.post(f"/api/v1/achievements/{a1}/withdraw", json={"note": "merged"}, headers=me)
    assert r.json()["status"] == "WITHDRAWN"
    # a stranger cannot see a non-public achievement at all
    assert (await api.get(f"/api/v1/achievements/{a2}/audit", headers=STRANGER)).status_code == 404


async def test_duplicate_registration_refused_naming_the_field(api, platform):
    _, me = owner()
    first = body()
    r = await api.post("/api/v1/achievements", json=first, headers=me)
    assert r.status_code == 201
    db = platform.hosts["registry"].db
    before = await db["outbox"].count_documents({})
    r = await api.post("/api/v1/achievements", json=first, headers=me)
    assert r.status_code == 409 and r.json()["field"] == "title", r.text
    assert await db["outbox"].count_documents({}) == before
    other_code = {**first, "funding": {"fiscal": True, "project_code": "Z2026-002"}}
    assert (await api.post("/api/v1/achievements", json=other_code, headers=me)).status_code == 201


async def test_transformations_on_registered_only_via_grpc(platform):
    org = f"org-{uuid.uuid4().hex[:8]}"
    me = signed(Principal(f"u-{org}", org, "BEIJING", frozenset({"institution"})))
    op = signed(Principal("op-2", "platform", "BEIJING", frozenset({"operator"})))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        a = await stub.DraftAchievement(pb.DraftAchievementRequest(
            title=f"Gene editing vector {uuid.uuid4().hex[:6]}", field="biomedicine", type="process", trl=4,
            submit=True), metadata=me)
        deal = pb.RecordTransformationRequest(achievement_id=a.achievement_id, kind="licence",
                                              counterparty="Hebei Pharma", counterparty_region="HEBEI",
                                              amount="800000.00", date="2026-05-01")
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.RecordTransformation(deal, metadata=me)
        assert exc.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        await stub.ApproveAchievement(pb.ReviewRequest(achievement_id=a.achievement_id), metadata=op)
        platform.clock.advance(days=31)
        await stub.ConcludeNotices(pb.ConcludeNoticesRequest(), metadata=op)   # (or the worker's timer did first)
        got = await stub.GetAchievement(pb.AchievementRef(achievement_id=a.achievement_id), metadata=me)
        assert got.status == achievement_pb2.REGISTERED
        bad = pb.RecordTransformationRequest(**{**_fields(deal), "amount": "-1"})
        with pytest.raises(grpc.aio.AioRpcError) as exc:
            await stub.RecordTransformation(bad, metadata=me)
        assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert dict(exc.value.trailing_metadata())["x-bth-field"] == "amount"
        done = await stub.RecordTransformation(deal, metadata=me)
        assert len(done.transformations) == 1 and done.transformations[0].amount == "800000.00"
        trail = await stub.GetAuditTrail(pb.AchievementRef(achievement_id=a.achievement_id), metadata=me)
        assert [e.action for e in trail.entries][-1] == "record_transformation"


def _fields(message) -> dict:
    return {f.name: v for f, v in message.ListFields()}
