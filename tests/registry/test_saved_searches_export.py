"""Saved searches (SavedSearchMatched on bth.registry.saved_search.v1 when a newly registered
achievement matches, through the registry's consumer of AchievementRegistered) and the open-data
export of the public registry as JSON Lines (REST) / a server stream (gRPC)."""

import json
import uuid

import grpc
from aiokafka import AIOKafkaConsumer

from bth.registry.v1 import registry_service_pb2 as pb
from bth.registry.v1 import registry_service_pb2_grpc, saved_search_pb2
from services.common.identity import Principal
from services.registry.domain import saved_search, text
from tests.conftest import eventually
from tests.support.identity import bearer, signed

OPERATOR = bearer("op-ss", "platform", "BEIJING", "operator")


def test_match_rules_pure():
    a = {"achievement_id": "a", "field": "energy", "region": "HEBEI", "type": "process", "trl": 6,
         "transfer_modes": ["licence"], "organisation": "o"}
    terms = text.index_terms("储能电池管理", ["电池"], "")
    q = saved_search.SavedQuery
    assert saved_search.match(q(q="电池 回收"), a, terms) == ["电池"]
    assert saved_search.match(q(field="energy", trl_min=5, transfer_mode="licence"), a, terms) == []
    assert saved_search.match(q(field="ai"), a, terms) is None
    assert saved_search.match(q(trl_max=5), a, terms) is None
    assert saved_search.match(q(q="芯片"), a, terms) is None


async def _lifecycle(api, platform, headers, items) -> list[str]:
    """Draft+submit, approve, end the notice, conclude: REGISTERED ids in the given order."""
    ids = []
    for body in items:
        r = await api.post("/api/v1/achievements", headers=headers, json={"submit": True, **body})
        assert r.status_code == 201, r.text
        ids.append(r.json()["achievement_id"])
        r = await api.post(f"/api/v1/achievements/{ids[-1]}/approve", headers=OPERATOR)
        assert r.status_code == 200, r.text
    platform.clock.advance(days=31)
    r = await api.post("/api/v1/registry/notices/conclude", headers=OPERATOR)
    assert r.status_code == 200       # the worker's timer may have concluded some of them first
    for aid in ids:
        assert (await api.get(f"/api/v1/achievements/{aid}", headers=OPERATOR)).json()["status"] == "REGISTERED"
    return ids


async def test_saved_search_matched_event_end_to_end(api, platform, kafka_settings):
    run = uuid.uuid4().hex[:6]
    partner = bearer(f"partner-{run}", f"org-p-{run}", "TIANJIN", "partner")
    buyer = bearer(f"ent-{run}", f"org-e-{run}", "HEBEI", "enterprise")
    org = f"org-ss-{run}"
    me = bearer(f"u-{org}", org, "BEIJING", "institution")
    bad = await api.post("/api/v1/saved-searches", headers=partner, json={"name": "x", "query": {"region": "MARS"}})
    assert bad.status_code == 400 and bad.json()["field"] == "query.region"
    empty = await api.post("/api/v1/saved-searches", headers=partner, json={"name": "x", "query": {}})
    assert empty.status_code == 400 and empty.json()["field"] == "query"
    s1 = (await api.post("/api/v1/saved-searches", headers=partner, json={
        "name": "储能", "query": {"q": "钠离子储能", "organisation": org}})).json()
    s2 = (await api.post("/api/v1/saved-searches", headers=buyer, json={
        "name": "energy trl>=7", "query": {"field": "energy", "trl_min": 7, "organisation": org}})).json()
    s3 = (await api.post("/api/v1/saved-searches", headers=buyer, json={
        "name": "deleted", "query": {"organisation": org}})).json()
    assert s1["owner"] == f"partner-{run}" and s1["active"] is True and s1["version"] == "1"
    assert (await api.delete(f"/api/v1/saved-searches/{s3['saved_search_id']}", headers=partner)).status_code == 404
    deleted = await api.delete(f"/api/v1/saved-searches/{s3['saved_search_id']}", headers=buyer)
    assert deleted.status_code == 204 and deleted.content == b""
    mine = (await api.get("/api/v1/saved-searches", headers=buyer)).json()["items"]
    assert [s["saved_search_id"] for s in mine] == [s2["saved_search_id"]]

    a1, a2, a3 = await _lifecycle(api, platform, me, [
        {"title": f"钠离子储能电池 {run}", "field": "energy", "type": "process", "trl": 8, "keywords": [run]},
        {"title": f"光伏逆变器 {run}", "field": "energy", "type": "new_product", "trl": 5},
        {"title": f"Sodium-ion grid storage {run}", "field": "energy", "type": "process", "trl": 7}])

    consumer = AIOKafkaConsumer("bth.registry.saved_search.v1", group_id=f"t-{uuid.uuid4()}",
                                auto_offset_reset="earliest", **kafka_settings.client_options())
    wanted = {s1["saved_search_id"], s2["saved_search_id"], s3["saved_search_id"]}
    got = []
    await consumer.start()
    try:
        async def poll():
            batch = await consumer.getmany(timeout_ms=500)
            got.extend(r for rs in batch.values() for r in rs if r.key.decode() in wanted)
            return sum(dict(r.headers)["ce_type"].endswith(b"Matched") for r in got) >= 3 and len(got) >= 7
        await eventually(poll, timeout=30)
        await poll()  # and nothing more arrives (e.g. for the deleted search)
    finally:
        await consumer.stop()
    matched = sorted((m.saved_search_id, m.owner, m.achievement_id, tuple(m.matched_terms))
                     for r in got if dict(r.headers)["ce_type"].endswith(b"Matched")
                     for m in [saved_search_pb2.SavedSearchMatched.FromString(r.value)])
    assert matched == sorted([(s1["saved_search_id"], f"partner-{run}", a1, tuple(text.tokenize("钠离子储能"))),
                              (s2["saved_search_id"], f"ent-{run}", a1, ()),
                              (s2["saved_search_id"], f"ent-{run}", a3, ())])
    types = [dict(r.headers)["ce_type"].decode().rsplit(".", 1)[-1] for r in got
             if r.key.decode() == s3["saved_search_id"]]
    assert types == ["SavedSearchCreated", "SavedSearchDeleted"]
    listed = (await api.get("/api/v1/saved-searches", headers=buyer)).json()["items"]
    assert listed[0]["match_count"] == 2 and listed[0]["version"] == "3"


async def test_export_jsonl_and_grpc_stream(api, platform):
    run = uuid.uuid4().hex[:6]
    org = f"org-ex-{run}"
    me = bearer(f"u-{org}", org, "HEBEI", "institution")
    ids = await _lifecycle(api, platform, me, [
        {"title": f"玉米抗旱品种 {i} {run}", "field": "agriculture", "type": "variety", "trl": 5 + i,
         "transfer_modes": ["licence"], "team": [{"name": "张三", "role": "PI"}]} for i in range(3)])
    draft = await api.post("/api/v1/achievements", headers=me, json={
        "title": f"未登记 {run}", "field": "agriculture", "type": "variety", "trl": 4})
    assert draft.status_code == 201
    r = await api.get("/api/v1/achievements/export.jsonl", params={"organisation": org},
                      headers=bearer("anyone", "org-x", "TIANJIN", "buyer"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(x) for x in r.text.splitlines()]
    assert len(lines) == 3 and r.text.endswith("\n")
    numbers = [x["registration_number"] for x in lines]
    assert numbers == sorted(numbers) and {x["achievement_id"] for x in lines} == set(ids)
    assert set(lines[0]) == {"achievement_id", "version", "registration_number", "title", "abstract", "field",
                             "type", "trl", "organisation", "region", "funding", "transfer_modes",
                             "registered_at"} - {"abstract", "funding"} | ({"funding"} & set(lines[0]))
    assert all(x["organisation"] == org and x["region"] == "HEBEI" and x["transfer_modes"] == ["licence"]
               for x in lines)
    assert all(k not in x for x in lines for k in ("team", "owner", "audit", "objections", "status"))
    r = await api.get("/api/v1/achievements/export.jsonl", params={"organisation": org, "trl_min": 6})
    assert len(r.text.splitlines()) == 2
    r = await api.get("/api/v1/achievements/export.jsonl", params={"organisation": org, "q": "抗旱 玉米"})
    assert len(r.text.splitlines()) == 3
    r = await api.get("/api/v1/achievements/export.jsonl", params={"organisation": org, "q": "芯片"})
    assert r.status_code == 200 and r.text == ""
    r = await api.get("/api/v1/achievements/export.jsonl", params={"region": "MARS"})
    assert r.status_code == 400 and r.json()["field"] == "region"

    who = signed(Principal("p-ex", "org-p", "TIANJIN", frozenset({"partner"})))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        streamed = [m async for m in stub.ExportAchievements(pb.SearchRequest(organisation=org), metadata=who)]
    assert [m.registration_number for m in streamed] == numbers
    assert streamed[0].title == lines[0]["title"] and streamed[0].registered_at.seconds > 0
