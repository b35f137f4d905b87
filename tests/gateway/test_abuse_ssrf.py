"""Abuse: SSRF through webhooks (issue 12 item 6). With default settings a gateway refuses
private, loopback and link-local targets in every encoding when subscribing, and the
delivery client refuses them again at connect time, on the resolved address (a name that
resolved elsewhere when subscribing — DNS rebinding — is still refused)."""

import uuid

import httpx
import pytest
from pymongo import AsyncMongoClient

from services.common.clock import ManualClock
from services.gateway import feed, webhooks
from services.gateway.settings import GatewaySettings
from services.gateway.webhook_worker import DeliveryWorker
from tests.gateway.receiver import Receiver, gateway_mongo
from tests.support.identity import bearer
from tests.support.platform import second_gateway

SUBMITTED = "bth.registry.v1.AchievementSubmitted"
REFUSED = "https://bth.example.org/problems/webhook-target-refused"
PRIVATE = [
    "http://127.0.0.1/x", "http://127.1/x", "http://2130706433/x", "http://0x7f000001/x", "http://017700000001/x",
    "http://[::ffff:127.0.0.1]/x", "http://[::ffff:7f00:1]/x", "http://[64:ff9b::7f00:1]/x", "http://0/x",
    "http://0.0.0.0/x", "http://[::]/x", "http://localhost:8080/x", "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/x", "http://[fe80::1]/x", "http://[fc00::1]/x", "http://[fd12:3456::1]/x", "http://10.0.0.1/x",
    "http://10.255.255.254:8443/x", "http://172.16.0.1/x", "http://192.168.1.1/x", "http://100.64.0.1/x",
    "http://224.0.0.1/x", "https://127.0.0.1:443/x",
]


def partner() -> dict:
    return bearer(f"partner-ssrf-{uuid.uuid4().hex[:6]}", "org-tianjin", "TIANJIN", "partner")


@pytest.fixture(scope="module")
async def strict_gateway(platform):
    """A second gateway on the same store with the default WEBHOOK_ALLOW_PRIVATE_NETWORKS."""
    assert GatewaySettings.model_fields["webhook_allow_private_networks"].default is False
    async with second_gateway(platform) as url:
        yield url


async def test_default_settings_refuse_private_targets_in_every_encoding(strict_gateway):
    async with httpx.AsyncClient(base_url=strict_gateway, timeout=10) as c:
        who = partner()
        for url in PRIVATE:
            r = await c.post("/api/v1/webhooks", headers=who, json={"url": url, "event_types": [SUBMITTED]})
            assert r.status_code == 400, (url, r.text)
            assert r.headers["content-type"] == "application/problem+json"
            assert (r.json()["type"], r.json()["field"]) == (REFUSED, "url"), url
        assert (await c.get("/api/v1/webhooks", headers=who)).json()["items"] == []   # nothing was stored


async def test_dev_override_still_refuses_the_platform_in_any_encoding(platform):
    gw, registry = platform.ports["gateway"], platform.ports["registry"]
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        who = partner()
        for url in (f"http://127.1:{gw}/api/v1/me", f"http://2130706433:{gw}/", f"http://[::ffff:127.0.0.1]:{gw}/",
                    f"http://0:{registry}/", f"http://0x7f000001:{registry}/", f"http://[::1]:{gw}/"):
            r = await c.post("/api/v1/webhooks", headers=who, json={"url": url, "event_types": [SUBMITTED]})
            assert r.status_code == 400 and (r.json()["type"], r.json()["field"]) == (REFUSED, "url"), url


async def _one_delivery(db, url: str) -> tuple[dict, dict]:
    """A subscription as if it had passed the check when made, and one pending delivery."""
    sub = {"_id": "sub_" + uuid.uuid4().hex[:8], "owner": "p", "organisation": "o", "region": "TIANJIN",
           "operator": True, "url": url, "event_types": ["*"], "secret": "whsec_" + "A" * 43, "active": True,
           "start_seq": 0}
    await db[webhooks.SUBSCRIPTIONS].insert_one(sub)
    event = {"_id": feed.key(1), "event_id": uuid.uuid4().hex, "type": SUBMITTED, "key": "ach-1",
             "event": {"specversion": "1.0", "id": "e1", "type": SUBMITTED, "subject": "ach-1", "data": {}}}
    await db[feed.COLLECTION].insert_one(event)
    clock = ManualClock()
    await webhooks.enqueue(db, sub, event, clock.now(), f"{sub['_id']}:1")
    return sub, await db[webhooks.DELIVERIES].find_one({"_id": f"{sub['_id']}:1"})


async def test_delivery_refuses_a_private_address_at_connect_time(platform):
    receiver = await Receiver().start()
    client = AsyncMongoClient(gateway_mongo(platform), tz_aware=True, directConnection=True)
    db = client[f"ssrf_{uuid.uuid4().hex[:8]}"]
    strict = GatewaySettings(**platform.env("gateway"))
    dev = GatewaySettings(**platform.env("gateway"), webhook_allow_private_networks=True)
    try:
        # "localhost" stands for a name that resolved to a public address when subscribing
        sub, delivery = await _one_delivery(db, f"http://localhost:{receiver.port}/hooks")
        worker = DeliveryWorker(strict, db, ManualClock())
        assert await worker.attempt(sub, delivery) is False
        stored = await db[webhooks.DELIVERIES].find_one({"_id": delivery["_id"]})
        assert stored["state"] == "pending" and stored["attempts"] == 1 and stored["last_status"] is None
        assert stored["last_error"].startswith("ConnectError: the webhook address 127.0.0.1 is private")
        assert receiver.requests == []                                   # nothing left the gateway
        await worker.http.aclose()
        allowed = DeliveryWorker(dev, db, ManualClock())                 # the explicit dev override
        assert await allowed.attempt(sub, delivery) is True
        assert len(receiver.requests) == 1
        own = f"http://127.1:{platform.ports['gateway']}/api/v1/me"      # the platform itself: refused even so
        await db[webhooks.SUBSCRIPTIONS].update_one({"_id": sub["_id"]}, {"$set": {"url": own}})
        assert await allowed.attempt({**sub, "url": own}, delivery) is False
        await allowed.http.aclose()
    finally:
        await receiver.stop()
        await client.drop_database(db.name)
        await client.close()
