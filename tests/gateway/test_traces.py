"""One request followed by its W3C trace context, with the OpenTelemetry in-memory exporter:
a `traceparent` sent to the gateway is continued (the answer's `traceresponse` names the same
trace) through the gateway's HTTP span and the gRPC call into the registry, written with the
event (the Kafka record's CloudEvents `ce_traceparent`), continued by the consumers of
another service, and sent on with the partner's webhook (its `traceparent` header and the
CloudEvent's `traceparent` attribute)."""

import json
import secrets
import uuid

import httpx
import pytest
from aiokafka import AIOKafkaConsumer
from opentelemetry import trace
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from services.common.envelope import Envelope
from tests.conftest import eventually
from tests.gateway.receiver import Receiver
from tests.support.identity import bearer

SUBMITTED = "bth.registry.v1.AchievementSubmitted"
OPERATOR = bearer("op-traces", "org-platform", "BEIJING", "operator")
BODY = {"title": "链路追踪的低功耗射频芯片", "abstract": "traces", "field": "5g", "type": "patent", "trl": 6,
        "keywords": ["5G"], "transfer_modes": ["licence"], "indicative_price": "1200000.00", "submit": True}


@pytest.fixture
def spans(platform):
    exporter = InMemorySpanExporter()
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    exporter.clear()


async def _record(kafka: str, key: str) -> Envelope:
    consumer = AIOKafkaConsumer("bth.registry.achievement.v1", bootstrap_servers=kafka, auto_offset_reset="earliest",
                                group_id=f"test-traces-{uuid.uuid4().hex[:6]}", enable_auto_commit=False)
    await consumer.start()
    try:
        while True:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                for r in records:
                    if r.key == key.encode() and dict(r.headers).get("ce_type") == SUBMITTED.encode():
                        return Envelope.from_record(r.key, r.value, r.headers)
    finally:
        await consumer.stop()


async def test_a_traceparent_is_followed_to_kafka_the_consumers_and_the_webhook(platform, spans):
    trace_id, parent = secrets.token_hex(16), secrets.token_hex(8)
    receiver = await Receiver().start()
    try:
        async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
            sub = await c.post("/api/v1/webhooks", headers=OPERATOR, json={"url": receiver.url,
                                                                            "event_types": [SUBMITTED]})
            assert sub.status_code == 201, sub.text
            run = uuid.uuid4().hex[:8]
            owner = bearer(f"inst-{run}", f"org-traces-{run}", "BEIJING", "institution")
            r = await c.post("/api/v1/achievements", json={**BODY, "title": BODY["title"] + run},
                             headers=owner | {"traceparent": f"00-{trace_id}-{parent}-01"})
            assert r.status_code == 201, r.text
            assert r.headers["traceresponse"].split("-")[1] == trace_id
            achievement_id = r.json()["achievement_id"]

            envelope = await eventually(lambda: _record(platform.kafka, achievement_id), timeout=20)
            assert envelope.traceparent.split("-")[1] == trace_id

            async def delivered():
                return [q for q in receiver.requests if achievement_id.encode() in q["body"]]
            (request,) = await eventually(delivered, timeout=20)
            assert request["headers"]["traceparent"].split("-")[1] == trace_id
            assert json.loads(request["body"])["traceparent"] == envelope.traceparent

            def ours():
                return [s for s in spans.get_finished_spans() if format(s.context.trace_id, "032x") == trace_id]

            async def consumed():
                groups = {s.attributes.get("messaging.consumer.group.name") for s in ours()
                          if s.name == f"{SUBMITTED} process"}
                return groups if {"procurement.achievements", "incubation.achievements"} <= groups \
                    else None
            await eventually(consumed, timeout=20)
    finally:
        await receiver.stop()
    kinds = {(s.kind, s.name.split(" ")[0] if s.kind != SpanKind.SERVER else s.name) for s in ours()}
    assert (SpanKind.SERVER, "POST /api/v1/achievements") in kinds
    assert any(kind == SpanKind.SERVER and name.startswith("/bth.registry.v1.RegistryService/")
               for kind, name in kinds), kinds
    assert any(kind == SpanKind.CLIENT and name.startswith("/bth.registry.v1.RegistryService/")
               for kind, name in kinds), kinds
    assert (SpanKind.CLIENT, "webhook") in kinds
    http = next(s for s in ours() if s.name == "POST /api/v1/achievements" and s.kind == SpanKind.SERVER)
    assert format(http.parent.span_id, "016x") == parent
