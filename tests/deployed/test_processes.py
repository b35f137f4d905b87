"""The platform as the Helm chart runs it: every Deployment's process and the admin hook Job
started from the rendered chart's command and environment, with the image's dependencies
only (tests/deployed/image.py), against the embedded broker and MongoDB-wire servers.

Only what cannot hold on one machine is translated: container ports become free local
ports, Services become `ipv4:` gRPC targets, Secrets become test values."""

import asyncio
import re
import uuid
from datetime import UTC, datetime

import httpx
import pytest
from standardwebhooks import Webhook

from tests.conftest import eventually
from tests.deployed import chart
from tests.deployed.harness import Deployed, values
from tests.gateway.receiver import Receiver
from tests.support.identity import bearer

pytestmark = pytest.mark.e2e
OPERATOR = bearer("op-deployed", "org-platform", "BEIJING", "operator")
TYPES = {"registered": "bth.registry.v1.AchievementRegistered", "listed": "bth.procurement.v1.ProductListed",
         "awarded": "bth.procurement.v1.AwardMade"}


def who(role: str, region: str) -> dict:
    tag = uuid.uuid4().hex[:6]
    return bearer(f"{role}-{tag}", f"org-{role}-{tag}", region, role)


@pytest.fixture(scope="module")
async def deployed():
    platform = Deployed(registry_replicas=2)
    try:
        await asyncio.to_thread(platform.start)
    except BaseException:
        await asyncio.to_thread(platform.stop)
        raise
    yield platform
    await asyncio.to_thread(platform.stop)


async def test_admin_init_ran_once_and_every_process_answers_its_probes(deployed):
    assert deployed.admin_init.returncode == 0, deployed.log("admin-init")
    assert sorted(deployed.processes) == [
        "gateway", "gateway-delivery", "incubation", "incubation-worker", "procurement", "procurement-worker",
        "registry", "registry-2", "registry-worker"]
    for name in deployed.processes:
        for kind in ("startup", "liveness", "readiness"):
            assert await deployed.probe(name, kind) == (True, name, kind), deployed.log(name)


def submitted_achievement(tag: str) -> dict:
    """The body of a submitted achievement (POST /api/v1/achievements); also the bench's load."""
    return {"title": f"轨道交通弓网故障智能诊断方法 {tag}", "abstract": "基于图像识别的弓网故障诊断",
            "field": "rail-transit", "type": "patent", "trl": 7, "keywords": ["轨道交通", "故障诊断"],
            "transfer_modes": ["licence"], "indicative_price": "800000.00", "submit": True}


async def _registered(c: httpx.AsyncClient, tag: str) -> str:
    owner = who("institution", "BEIJING")
    r = await c.post("/api/v1/achievements", headers=owner, json=submitted_achievement(tag))
    assert r.status_code == 201, r.text
    aid = r.json()["achievement_id"]
    r = await c.post(f"/api/v1/achievements/{aid}/approve", json={"note": "形式审查通过"}, headers=OPERATOR)
    assert (r.status_code, r.json()["status"]) == (200, "IN_NOTICE"), r.text

    async def registered():   # NOTICE_DAYS=0: the registry worker's timer concludes the notice
        r = await c.get(f"/api/v1/achievements/{aid}", headers=OPERATOR)
        return r.json()["status"] == "REGISTERED"
    await eventually(registered, timeout=30, interval=0.3)
    return aid


async def _listed_and_awarded(c: httpx.AsyncClient, aid: str, tag: str) -> tuple[str, dict]:
    base = "/api/v1/procurement"
    r = await c.post(f"{base}/products", headers=who("enterprise", "HEBEI"), json={
        "name": f"弓网智能诊断系统 {tag}", "category": "advanced-manufacturing", "description": "弓网 故障诊断",
        "price": "640000.00", "region": "HEBEI", "achievement_ids": [aid],
        "indicators": [{"name": "识别率", "value": "97", "unit": "%"}]})
    assert r.status_code == 201, r.text
    pid = r.json()["product_id"]
    for score in (70, 85, 90):
        r = await c.post(f"{base}/products/{pid}/reviews", json={"score": score, "opinion": "可行"},
                         headers=who("expert", "BEIJING"))
        assert r.status_code == 200, r.text
    assert r.json()["status"] == "LISTED"
    buyer = who("buyer", "TIANJIN")
    r = await c.post(f"{base}/demands", headers=buyer, json={
        "need": f"采购弓网智能诊断系统 {tag}", "category": "advanced-manufacturing", "budget": "700000.00",
        "deadline": "2099-01-01T00:00:00Z", "region": "TIANJIN"})
    assert r.status_code == 201, r.text
    r = await c.post(f"{base}/awards", headers=buyer, json={
        "demand_id": r.json()["demand_id"], "product_id": pid, "amount": "612345.67",
        "award_date": datetime.now(UTC).isoformat()})
    assert r.status_code == 201, r.text
    return pid, r.json()


async def test_one_flow_crosses_every_process(deployed):
    receiver = await Receiver().start()
    tag = uuid.uuid4().hex[:8]
    try:
        async with httpx.AsyncClient(base_url=deployed.gateway_url, timeout=20) as c:
            partner = who("partner", "TIANJIN")
            r = await c.post("/api/v1/webhooks", headers=partner, json={"url": receiver.url, "event_types": ["*"]})
            assert r.status_code == 201, r.text
            secret = r.json()["secret"]
            aid = await _registered(c, tag)
            pid, award = await _listed_and_awarded(c, aid, tag)
            assert (award["vendor_region"], award["buyer_region"], award["field"]) == ("HEBEI", "TIANJIN",
                                                                                     "rail-transit")
            month = award["award_date"][:7]

            async def counted():     # the award reached the registry worker's trading map
                r = await c.get("/api/v1/trading-map", headers=OPERATOR,
                                params={"field": "rail-transit", "month_from": month, "month_to": month})
                return [(f["from_region"], f["to_region"], int(f["count"]), f["amount"]) for f in r.json()["flows"]]
            assert await eventually(counted, timeout=30, interval=0.5) == [("HEBEI", "TIANJIN", 1, "612345.67")]

            wanted = {(TYPES["registered"], aid), (TYPES["listed"], pid), (TYPES["awarded"], award["award_id"])}

            async def delivered():   # through the separate delivery process, signed
                got = {(e["type"], e["subject"]) for e in receiver.accepted()}
                return wanted <= got
            await eventually(delivered, timeout=30, interval=0.3)
        hook = Webhook(secret)
        signed = [hook.verify(r["body"], {k: r["headers"][k] for k in ("webhook-id", "webhook-timestamp",
                                                                        "webhook-signature")})
                  for r in receiver.requests if r["status"] == 200]
        assert wanted <= {(e["type"], e["subject"]) for e in signed}
    finally:
        await receiver.stop()


async def test_two_registry_replicas_both_serve_one_gateway(deployed):
    async with httpx.AsyncClient(base_url=deployed.gateway_url, timeout=20) as c:
        owner = who("institution", "BEIJING")   # reads only: the writes of this module are elsewhere
        r = await c.post("/api/v1/achievements", headers=owner, json={
            "title": f"双副本读取测试成果 {uuid.uuid4().hex[:8]}", "abstract": "round robin", "field": "rail-transit",
            "type": "patent", "trl": 5})
        assert r.status_code == 201, r.text
        aid = r.json()["achievement_id"]
        before = [deployed.grpc_calls(name, "GetAchievement") for name in ("registry", "registry-2")]
        for _ in range(20):
            assert (await c.get(f"/api/v1/achievements/{aid}", headers=owner)).status_code == 200
        after = [deployed.grpc_calls(name, "GetAchievement") for name in ("registry", "registry-2")]
    served = [a - b for a, b in zip(after, before, strict=True)]
    assert sum(served) == 20 and min(served) >= 5, served       # round_robin: about 10 each


async def test_a_domain_api_down_leaves_the_gateway_ready_with_503_on_its_routes_only(deployed):
    deployed.kill("incubation")
    try:
        async with httpx.AsyncClient(base_url=deployed.gateway_url, timeout=20) as c:
            ready = await c.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert ready.json()["services"]["incubation"] != "SERVING"
            r = await c.get("/api/v1/incubation/stations", headers=OPERATOR)
            assert r.status_code == 503, r.text
            assert r.headers["content-type"].startswith("application/problem+json")
            assert int(r.headers["retry-after"]) > 0
            assert (await c.get("/api/v1/achievements", headers=OPERATOR)).status_code == 200
            assert (await c.get("/api/v1/procurement/products", headers=OPERATOR)).status_code == 200
    finally:
        await asyncio.to_thread(deployed.restart, "incubation")
    assert await deployed.probe("incubation", "readiness") == (True, "incubation", "readiness")


async def test_every_metric_the_alerts_use_is_exposed(deployed):
    """The PrometheusRule (rendered with rules on) names only metrics some process serves."""
    rule = next(d for d in chart.render({**values("127.0.0.1:9092"), "metrics": {"rules": {"enabled": True}}})
                if d["kind"] == "PrometheusRule")
    used = {name for group in rule["spec"]["groups"] for r in group["rules"]
            for name in re.findall(r"\b(bth_[a-z_]+)", r["expr"])}
    served = set()
    for name in deployed.processes:
        text = await asyncio.to_thread(deployed.metrics_text, name)
        served |= set(re.findall(r"^(?:# TYPE )?(bth_[a-z_]+)", text, re.M))   # samples, and families without
    assert len(used) >= 8 and used <= served, sorted(used - served)
