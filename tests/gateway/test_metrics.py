"""Metrics as Prometheus scrapes them, parsed with prometheus_client's own parser: a gateway
process's /metrics has the RED metrics by route template, method and status, webhook
delivery attempts by outcome with their latency, feed ingestion lag and events stored, and
none of the services' metrics (outbox, consumers, gRPC); a gRPC call refused by a domain rule
is labelled with its gRPC `code` and, apart, its domain `error_kind`."""

import uuid

import grpc
import httpx
from prometheus_client import REGISTRY, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import eventually
from tests.gateway.logging_gateway import GatewayProcess
from tests.gateway.receiver import Receiver
from tests.support.identity import bearer

OPERATOR = bearer("op-metrics", "org-platform", "BEIJING", "operator")
DRAFTED = "bth.registry.v1.AchievementDrafted"
BODY = {"title": "度量测试的低功耗射频芯片", "abstract": "metrics", "field": "5g", "type": "patent", "trl": 6,
        "keywords": ["5G"], "transfer_modes": ["licence"], "indicative_price": "1200000.00"}
ROUTE = "/api/v1/achievements/{achievement_id}"


def samples(text: str) -> dict[str, list]:
    """family name → [(sample name, labels, value)]"""
    return {f.name: [(s.name, s.labels, s.value) for s in f.samples] for f in text_string_to_metric_families(text)}


def value(found: dict, family: str, sample: str, **labels) -> float:
    return sum(v for name, got, v in found.get(family, []) if name == sample and labels.items() <= got.items())


async def test_gateway_metrics_red_webhooks_feed_and_nothing_it_does_not_use(platform):
    receiver = await Receiver(statuses=[503]).start()   # the partner answers 503 once, then 200
    try:
        async with GatewayProcess(platform) as gw, httpx.AsyncClient(base_url=gw.url, timeout=20) as c, \
                httpx.AsyncClient(base_url=gw.metrics_url, timeout=5) as m:
            async def caught_up():   # the feed has read the topics' backlog: a new subscription sees new events
                found = samples((await m.get("/metrics")).text)
                lag = [v for name, _, v in found.get("bth_feed_ingestion_lag", []) if name == "bth_feed_ingestion_lag"]
                return lag and not any(lag) and value(found, "bth_feed_events_stored", "bth_feed_events_stored_total")
            await eventually(caught_up, timeout=30)
            r = await c.post("/api/v1/webhooks", headers=OPERATOR, json={"url": receiver.url, "event_types": [DRAFTED]})
            assert r.status_code == 201, r.text
            run = uuid.uuid4().hex[:8]
            owner = bearer(f"inst-{run}", f"org-metrics-{run}", "BEIJING", "institution")
            r = await c.post("/api/v1/achievements", headers=owner, json={**BODY, "title": BODY["title"] + run})
            assert r.status_code == 201, r.text
            achievement_id = r.json()["achievement_id"]
            assert (await c.get(f"/api/v1/achievements/{achievement_id}", headers=owner)).status_code == 200
            assert (await c.get("/api/v1/achievements/no-such-id", headers=owner)).status_code == 404

            async def delivered():
                return [e for e in receiver.accepted() if e["subject"] == achievement_id]
            await eventually(delivered, timeout=20)
            found = await eventually(lambda: _delivered_metrics(m), timeout=5)
    finally:
        await receiver.stop()
    for prefix in ("bth_outbox", "bth_events_", "bth_grpc", "bth_consumer_lag", "bth_timer"):
        assert not [name for name in found if name.startswith(prefix)], prefix
    for status in ("200", "404"):
        labels = {"method": "GET", "route": ROUTE, "status": status}
        assert value(found, "bth_http_requests", "bth_http_requests_total", **labels) == 1, status
        assert value(found, "bth_http_request_seconds", "bth_http_request_seconds_count", **labels) == 1, status
    assert value(found, "bth_http_requests", "bth_http_requests_total", route="/api/v1/achievements",
                 method="POST", status="201") == 1
    assert value(found, "bth_webhook_attempts", "bth_webhook_attempts_total", outcome="http_error") == 1
    assert value(found, "bth_webhook_attempts", "bth_webhook_attempts_total", outcome="delivered") == 1
    assert value(found, "bth_webhook_attempt_seconds", "bth_webhook_attempt_seconds_count") == 2
    assert value(found, "bth_webhook_deliveries_failed", "bth_webhook_deliveries_failed_total") == 1


async def _delivered_metrics(m: httpx.AsyncClient) -> dict | None:
    found = samples((await m.get("/metrics")).text)
    return found if value(found, "bth_webhook_attempts", "bth_webhook_attempts_total", outcome="delivered") else None


async def test_grpc_metrics_keep_status_codes_and_domain_error_kinds_apart(api):
    assert (await api.get("/api/v1/achievements/no-such-achievement")).status_code == 404
    found = samples(generate_latest(REGISTRY).decode())["bth_grpc_server_seconds"]
    counts = [labels for name, labels, _ in found if name == "bth_grpc_server_seconds_count"]
    assert {"method": "/bth.registry.v1.RegistryService/GetAchievement", "code": "NOT_FOUND",
            "error_kind": "not-found"} in counts
    codes = {labels["code"] for labels in counts}
    assert codes <= set(grpc.StatusCode.__members__) and "OK" in codes
    assert {labels["error_kind"] for labels in counts if labels["code"] == "OK"} == {""}
