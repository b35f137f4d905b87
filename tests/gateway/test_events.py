"""Partner event delivery through real HTTP: the pull feed (region visibility, resumable
cursor, long-poll), webhooks (Standard Webhooks signature, retry, redelivery, per-entity
order, URL checks), and the AsyncAPI document."""

import asyncio
import re
import uuid
from pathlib import Path

import httpx
from standardwebhooks import Webhook

from services.common import contracts
from services.gateway import visibility
from tests.conftest import eventually
from tests.gateway.receiver import Receiver
from tests.support.identity import INSTITUTION, bearer

BODY = {"title": "面向5G基站的低功耗射频芯片", "abstract": "feed test", "field": "5g", "type": "patent", "trl": 6,
        "keywords": ["5G"], "transfer_modes": ["licence"], "indicative_price": "1200000.00"}
SUBMITTED = "bth.registry.v1.AchievementSubmitted"
DRAFTED = "bth.registry.v1.AchievementDrafted"
APPROVED = "bth.registry.v1.AchievementApproved"


def partner(region: str) -> dict:
    return bearer(f"partner-{region.lower()}-{uuid.uuid4().hex[:6]}", f"org-{region.lower()}", region, "partner")


OPERATOR = bearer("op-events", "org-platform", "BEIJING", "operator")


async def _achievement(c: httpx.AsyncClient, submit: bool = True) -> str:
    run = uuid.uuid4().hex[:10]
    owner = bearer(f"inst-{run}", f"org-feed-{run}", "BEIJING", "institution")   # own org: no duplicate titles
    title = "".join("零一二三四五六七八九甲乙丙丁戊己"[int(ch, 16)] for ch in run) + "低功耗射频芯片"
    r = await c.post("/api/v1/achievements", headers=owner, json={**BODY, "title": title, "submit": submit})
    assert r.status_code == 201, r.text
    return r.json()["achievement_id"]


async def _feed_until(c, headers, subject: str, types: set[str], after: str = "") -> tuple[list, str]:
    seen: list = []
    cursor = after

    async def poll():
        nonlocal cursor
        r = await c.get("/api/v1/events", headers=headers, params={"cursor": cursor, "page_size": 500})
        assert r.status_code == 200, r.text
        seen.extend(r.json()["items"])
        cursor = r.json()["next_cursor"]
        return types <= {e["type"] for e in seen if e["subject"] == subject}
    await eventually(poll, timeout=15)
    return seen, cursor


async def _approved(c: httpx.AsyncClient) -> str:
    """A submitted achievement approved into its public notice (partners may read it)."""
    achievement_id = await _achievement(c)
    r = await c.post(f"/api/v1/achievements/{achievement_id}/approve", headers=OPERATOR, json={"note": "ok"})
    assert r.status_code == 200, r.text
    return achievement_id


async def test_pull_feed_in_order_with_visibility_and_resumable_cursor(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
        tianjin = partner("TIANJIN")
        first = await _approved(c)
        seen, cursor = await _feed_until(c, OPERATOR, first, {DRAFTED, SUBMITTED, APPROVED})
        mine = [e["type"] for e in seen if e["subject"] == first]
        assert mine == [DRAFTED, SUBMITTED, APPROVED]            # in order
        seqs = [e["sequence"] for e in seen]
        assert len(set(seqs)) == len(seqs) and len(seqs) >= 3
        # CloudEvents Sequence extension: comparing two sequences as strings orders them
        pairs = [(a, b) for i, a in enumerate(seqs) for b in seqs[i + 1:]]
        assert [a < b for a, b in pairs] == [True] * len(pairs)
        assert seqs[-1] == cursor   # a sequence is also the cursor that resumes after its event
        seen_tj, cursor_tj = await _feed_until(c, tianjin, first, {APPROVED})
        assert [e["type"] for e in seen_tj if e["subject"] == first] == [APPROVED]   # not before it is public
        event = next(e for e in seen_tj if e["subject"] == first)
        assert event["specversion"] == "1.0" and event["source"] == "/bth/registry"
        assert event["data"]["achievement"]["status"] == "IN_NOTICE"
        # resume from the cursor: only what came after
        second = await _approved(c)
        later, _ = await _feed_until(c, tianjin, second, {APPROVED}, after=cursor_tj)
        assert first not in {e["subject"] for e in later}
        # long-poll: a waiting request returns when the next event arrives
        _, cursor_tj = await _feed_until(c, tianjin, second, {APPROVED}, after=cursor_tj)
        waiting = asyncio.create_task(c.get("/api/v1/events", headers=tianjin,
                                            params={"cursor": cursor_tj, "wait": 10}))
        await asyncio.sleep(0.5)
        assert not waiting.done()
        third = await _approved(c)
        r = await asyncio.wait_for(waiting, 12)
        assert r.status_code == 200 and r.json()["items"], r.text
        assert third in {e["subject"] for e in r.json()["items"]} or r.json()["items"][0]["type"]
        bad = await c.get("/api/v1/events", headers=tianjin, params={"after": "bm90LWEtY3Vyc29y"})
        assert bad.status_code == 400 and bad.json()["field"] == "after"
        refused = await c.get("/api/v1/events", headers=INSTITUTION)
        assert refused.status_code == 403


def test_visibility_rule():
    """The owner's decision is the rule; an event without one reaches operators only."""
    assert visibility.audience(("TIANJIN", "HEBEI")) == (True, ["HEBEI", "TIANJIN"])
    assert visibility.audience(()) == (False, []) and visibility.audience(None) == (False, [])
    assert visibility.visible(True, ["HEBEI"], "HEBEI") and not visibility.visible(True, ["HEBEI"], "TIANJIN")
    assert not visibility.visible(False, [], "HEBEI") and visibility.visible(False, [], "", operator=True)


async def _subscribe(c, headers, url: str, types: list[str]) -> dict:
    r = await c.post("/api/v1/webhooks", headers=headers, json={"url": url, "event_types": types})
    assert r.status_code == 201, r.text
    assert r.json()["secret"].startswith("whsec_")
    return r.json()


async def test_webhook_signed_delivery_retry_redelivery_and_order(platform):
    receiver = await Receiver(statuses=[503]).start()   # down for the first attempt
    try:
        async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
            sub = await _subscribe(c, OPERATOR, receiver.url, [DRAFTED, SUBMITTED])
            achievement_id = await _achievement(c)

            async def both():
                got = [e for e in receiver.accepted() if e["subject"] == achievement_id]
                return got if len(got) == 2 else None
            got = await eventually(both, timeout=20)
            assert [e["type"] for e in got] == [DRAFTED, SUBMITTED]           # order kept through the retry
            ours = [r for r in receiver.requests if achievement_id.encode() in r["body"]]
            assert [r["status"] for r in ours] == [503, 200, 200]
            assert ours[0]["body"] == ours[1]["body"]
            wh = Webhook(sub["secret"])
            for r in ours:
                payload = wh.verify(r["body"], {k: r["headers"][k] for k in
                                                ("webhook-id", "webhook-timestamp", "webhook-signature")})
                assert payload["subject"] == achievement_id
            assert ours[0]["headers"]["webhook-id"] == ours[1]["headers"]["webhook-id"]
            assert ours[0]["headers"]["content-type"].startswith("application/cloudevents+json")
            r = await c.get(f"/api/v1/webhooks/{sub['subscription_id']}/deliveries", headers=OPERATOR)
            deliveries = [d for d in r.json()["items"] if d["subject"] == achievement_id]
            assert [(d["event_type"], d["state"], d["attempts"]) for d in deliveries] == \
                [(DRAFTED, "delivered", 2), (SUBMITTED, "delivered", 1)]
            # redelivery of one
            r = await c.post(f"/api/v1/webhooks/{sub['subscription_id']}/deliveries/"
                             f"{deliveries[1]['delivery_id']}/redeliver", headers=OPERATOR)
            assert r.status_code == 202 and len(r.json()["redelivery_ids"]) == 1

            async def three():
                got = [e for e in receiver.accepted() if e["subject"] == achievement_id]
                return got if len(got) == 3 else None
            assert (await eventually(three, timeout=10))[2]["type"] == SUBMITTED
            # redelivery of a time range: both originals again
            r = await c.post(f"/api/v1/webhooks/{sub['subscription_id']}/redeliver", headers=OPERATOR,
                             json={"since": "2000-01-01T00:00:00Z", "until": "2100-01-01T00:00:00Z"})
            assert r.status_code == 202 and r.json()["count"] >= 2

            async def five():
                got = [e for e in receiver.accepted() if e["subject"] == achievement_id]
                return got if len(got) >= 5 else None
            assert [e["type"] for e in (await eventually(five, timeout=10))[3:5]] == [DRAFTED, SUBMITTED]
            assert (await c.delete(f"/api/v1/webhooks/{sub['subscription_id']}", headers=OPERATOR)).status_code == 204
    finally:
        await receiver.stop()


async def test_partner_webhook_sees_only_what_its_region_may_read(platform):
    """Issue 12 item 1: the registry decides; a draft and a submission (REST answers a partner
    404) never reach it, the approval that starts the public notice (REST: 200) does."""
    receiver = await Receiver().start()
    try:
        async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
            hebei = partner("HEBEI")
            sub = await _subscribe(c, hebei, receiver.url, ["*"])
            achievement_id = await _achievement(c)
            assert (await c.get(f"/api/v1/achievements/{achievement_id}", headers=hebei)).status_code == 404
            r = await c.post(f"/api/v1/achievements/{achievement_id}/approve", headers=OPERATOR, json={"note": "ok"})
            assert r.status_code == 200, r.text
            assert (await c.get(f"/api/v1/achievements/{achievement_id}", headers=hebei)).status_code == 200

            async def approved():
                return [e for e in receiver.accepted() if e["subject"] == achievement_id] or None
            got = await eventually(approved, timeout=15)
            await asyncio.sleep(0.5)
            assert [e["type"] for e in await approved()] == [APPROVED]   # not the draft, not the submission
            other = partner("TIANJIN")
            r = await c.get(f"/api/v1/webhooks/{sub['subscription_id']}/deliveries", headers=other)
            assert r.status_code == 404                                         # not its subscription
            assert got[0]["data"]["achievement"]["achievement_id"] == achievement_id
    finally:
        await receiver.stop()


async def test_webhook_url_and_body_are_checked(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        tj = partner("TIANJIN")
        gateway_port = platform.ports["gateway"]
        for url in ("ftp://example.org/x", "file:///etc/passwd", f"http://127.0.0.1:{gateway_port}/api/v1/me",
                    f"http://localhost:{gateway_port}/x", f"http://127.0.0.1:{platform.ports['registry']}/"):
            r = await c.post("/api/v1/webhooks", headers=tj, json={"url": url, "event_types": [SUBMITTED]})
            assert r.status_code == 400 and r.json()["field"] == "url", url
        r = await c.post("/api/v1/webhooks", headers=tj, json={"url": "https://partner.example/x",
                                                               "event_types": ["no.such.Event"]})
        assert r.status_code == 400 and r.json()["field"] == "event_types"
        r = await c.post("/api/v1/webhooks", headers=tj, json={"url": "https://partner.example/x",
                                                               "event_types": [SUBMITTED], "colour": "red"})
        assert r.status_code == 422 and r.json()["field"] == "colour"
        listed = await c.get("/api/v1/webhooks", headers=tj)
        assert listed.status_code == 200 and listed.json()["items"] == []       # nothing was written


def proto_topics() -> set[str]:
    declared = set()
    for path in Path("proto").rglob("*.proto"):
        declared.update(re.findall(r'\(bth\.common\.v1\.topic\)\s*=\s*"([^"]+)"', path.read_text()))
    return declared


async def test_asyncapi_covers_every_topic_in_proto(platform):
    declared = proto_topics()
    assert declared and declared == set(contracts.topics())
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        doc = (await c.get("/api/v1/asyncapi.json")).json()
    assert doc["asyncapi"] == "3.0.0"
    dead_letters = {f"bth.{s}.dlq.v1" for s in ("registry", "procurement", "incubation")}
    assert {ch["address"] for ch in doc["channels"].values()} == declared | dead_letters
    names = {m["name"] for m in doc["components"]["messages"].values()}
    assert names == set(contracts.catalogue()) | {"DeadLetter"}
    submitted = doc["components"]["messages"]["bth_registry_v1_AchievementSubmitted"]
    assert submitted["x-key-field"] == "achievement_id"
    assert doc["components"]["schemas"]["bth.registry.v1.Achievement"]["properties"]["region"]["enum"][1] == "BEIJING"


def test_retry_schedule_backs_off_with_jitter_then_gives_up():
    import random
    from datetime import UTC, datetime, timedelta

    from services.gateway.webhooks import retry_at
    first = datetime(2026, 1, 5, tzinfo=UTC)
    rnd = random.Random(7)
    delays = []
    now, attempts = first, 0
    while True:
        attempts += 1
        at = retry_at(attempts, first, now, base=1, cap=1800, horizon=86_400, rnd=rnd)
        if at is None:
            break
        delays.append((at - now).total_seconds())
        now = at
    assert all(2 ** (i - 2) <= d <= 2 ** (i - 1) for i, d in enumerate(delays[:10], start=1))
    assert max(delays) <= 1800 and (now - first) <= timedelta(seconds=86_400)
    assert 50 < attempts < 120      # about a day of attempts, then failed
