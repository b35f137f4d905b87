"""The walking skeleton end to end: REST → registry gRPC → MongoDB + outbox → Kafka →
procurement's and incubation's read models, readable through the gateway; and a plain
subscriber that sees the CloudEvents headers and decodes the body with generated classes."""

import uuid

from aiokafka import AIOKafkaConsumer

from bth.registry.v1 import achievement_pb2
from tests.conftest import eventually
from tests.support.identity import bearer

BODY = {"title": "面向5G基站的低功耗射频芯片", "abstract": "Low-power RF front end for 5G small cells.",
        "field": "5g", "type": "patent", "trl": 6, "keywords": ["5G", "射频"],
        "transfer_modes": ["licence"], "indicative_price": "1200000.00", "submit": True}


async def test_achievement_flows_to_every_read_model(api, platform, kafka_settings):
    response = await api.post("/api/v1/achievements", json=BODY)
    assert response.status_code == 201, response.text
    created = response.json()
    achievement_id = created["achievement_id"]
    assert created["status"] == "SUBMITTED" and created["version"] == "2"
    assert response.headers["x-request-id"]

    for service in ("procurement", "incubation"):
        async def mirrored(service=service):
            # the two events are applied one transaction each: wait until the mirror holds the
            # version the registry returned (a DRAFT v1 read in between is not the end state)
            r = await api.get(f"/api/v1/{service}/known-achievements/{achievement_id}")
            return r.json() if r.status_code == 200 and r.json()["version"] == created["version"] else None
        known = await eventually(mirrored)
        assert known["achievement_id"] == achievement_id
        assert known["status"] == "SUBMITTED"
        assert known["title"] == BODY["title"]
        for stranger in (bearer("b-1", "org-buyer", "TIANJIN", "buyer"), bearer("p-1", "org-p", "HEBEI", "partner")):
            r = await api.get(f"/api/v1/{service}/known-achievements/{achievement_id}", headers=stranger)
            assert r.status_code == 404, r.text   # another organisation's submission, as the registry answers

    consumer = AIOKafkaConsumer("bth.registry.achievement.v1", group_id=f"t-{uuid.uuid4()}",
                                auto_offset_reset="earliest", **kafka_settings.client_options())
    await consumer.start()
    try:
        mine = []
        async def read():
            batch = await consumer.getmany(timeout_ms=500)
            mine.extend(r for rs in batch.values() for r in rs if r.key == achievement_id.encode())
            return len(mine) >= 2
        await eventually(read)
    finally:
        await consumer.stop()
    headers = [dict(r.headers) for r in mine]
    assert [h["ce_type"] for h in headers] == [b"bth.registry.v1.AchievementDrafted",
                                              b"bth.registry.v1.AchievementSubmitted"]
    for h in headers:
        assert h["ce_specversion"] == b"1.0" and h["ce_source"] == b"/bth/registry"
        assert h["content-type"] == b"application/protobuf" and h["ce_id"] and h["ce_time"]
        assert h["ce_subject"] == achievement_id.encode()
    body = achievement_pb2.AchievementSubmitted.FromString(mine[1].value)
    assert body.achievement.status == achievement_pb2.SUBMITTED
    assert body.achievement.version == 2 and body.actor == "demo-user"


async def test_invalid_body_is_a_problem_naming_the_field(api):
    response = await api.post("/api/v1/achievements", json={**BODY, "trl": 12})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/validation-error") and problem["field"] == "trl"

    unknown = await api.post("/api/v1/achievements", json={**BODY, "colour": "red"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "colour"


async def test_domain_refusal_names_the_field_and_writes_nothing(api, platform):
    db = platform.hosts["registry"].db
    before = await db["achievements"].count_documents({})
    outbox_before = await db["outbox"].count_documents({})
    response = await api.post("/api/v1/achievements", json={**BODY, "field": "astrology"})
    assert response.status_code == 400, response.text
    problem = response.json()
    assert problem["type"].endswith("/invalid-input") and problem["field"] == "field"
    assert "astrology" in problem["detail"]
    assert await db["achievements"].count_documents({}) == before
    assert await db["outbox"].count_documents({}) == outbox_before


async def test_unknown_achievement_is_404(api):
    response = await api.get(f"/api/v1/achievements/{uuid.uuid4()}")
    assert response.status_code == 404 and response.json()["type"].endswith("/not-found")


async def test_health(api):
    assert (await api.get("/healthz")).json() == {"status": "alive"}
    ready = await api.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["services"] == {"registry": "SERVING", "procurement": "SERVING",
                                        "incubation": "SERVING"}


async def test_request_id_follows_the_call_from_rest_through_grpc_to_kafka(api, kafka_settings):
    trace = f"trace-{uuid.uuid4().hex}"
    response = await api.post("/api/v1/achievements", json={**BODY, "title": f"trace {trace}"},
                              headers={"X-Request-Id": trace})
    assert response.status_code == 201 and response.headers["x-request-id"] == trace
    achievement_id = response.json()["achievement_id"]
    consumer = AIOKafkaConsumer("bth.registry.achievement.v1", group_id=f"t-{uuid.uuid4()}",
                                auto_offset_reset="earliest", **kafka_settings.client_options())
    await consumer.start()
    try:
        mine = []
        async def read():
            batch = await consumer.getmany(timeout_ms=500)
            mine.extend(r for rs in batch.values() for r in rs if r.key == achievement_id.encode())
            return len(mine) >= 2
        await eventually(read)
    finally:
        await consumer.stop()
    assert [dict(r.headers)["ce_traceid"] for r in mine] == [trace.encode(), trace.encode()]
