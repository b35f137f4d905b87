"""The webhook delivery worker: fans feed events out to matching subscriptions and POSTs
them signed the Standard Webhooks way, with retries (rules in webhooks.py)."""

import json

import httpx
from standardwebhooks import Webhook

from services.common import logs
from services.gateway import egress, feed
from services.gateway.webhooks import DELIVERIES, SUBSCRIPTIONS, enqueue, matches, retry_at


class DeliveryWorker:
    def __init__(self, settings, db, clock, http: httpx.AsyncClient | None = None):
        self.settings, self.db, self.clock = settings, db, clock
        self.http = http or egress.guarded_client(settings)   # every connect checks the resolved address
        self.log = logs.get("webhooks")

    async def fan_out(self) -> int:
        state = await self.db["counters"].find_one({"_id": "webhook_fanout"}) or {"seq": 0}
        events = await self.db[feed.COLLECTION].find({"_id": {"$gt": state["seq"]}}).sort("_id", 1) \
            .limit(200).to_list()
        if not events:
            return 0
        subs = await self.db[SUBSCRIPTIONS].find({"active": True}).to_list()
        now = self.clock.now()
        for event_doc in events:
            for sub in subs:
                if event_doc["_id"] > sub["start_seq"] and matches(sub, event_doc):
                    await enqueue(self.db, sub, event_doc, now, f"{sub['_id']}:{event_doc['_id']}")
        await self.db["counters"].update_one({"_id": "webhook_fanout"}, {"$set": {"seq": events[-1]["_id"]}},
                                             upsert=True)
        return len(events)

    async def dispatch(self) -> int:
        pending = await self.db[DELIVERIES].find({"state": "pending"}).sort([("seq", 1), ("created_at", 1)]) \
            .limit(500).to_list()
        blocked, sent = set(), 0
        subs: dict[str, dict | None] = {}
        now = self.clock.now()
        for d in pending:
            lane = (d["subscription_id"], d["key"])
            if lane in blocked:
                continue
            blocked.add(lane)   # later deliveries of this entity wait for this one
            if d["next_attempt_at"] > now:
                continue
            if d["subscription_id"] not in subs:
                subs[d["subscription_id"]] = await self.db[SUBSCRIPTIONS].find_one({"_id": d["subscription_id"]})
            sub = subs[d["subscription_id"]]
            if sub is None or not sub["active"]:
                await self.db[DELIVERIES].update_one({"_id": d["_id"]}, {"$set": {"state": "cancelled"}})
                continue
            if await self.attempt(sub, d):
                blocked.discard(lane)
            sent += 1
        return sent

    async def attempt(self, sub: dict, d: dict) -> bool:
        event_doc = await self.db[feed.COLLECTION].find_one({"_id": d["seq"]})
        body = json.dumps(event_doc["event"], ensure_ascii=False, separators=(",", ":"))
        now = self.clock.now()
        msg_id = "msg_" + event_doc["event_id"]
        signature = Webhook(sub["secret"]).sign(msg_id, now, body)
        headers = {"content-type": "application/cloudevents+json; charset=utf-8", "webhook-id": msg_id,
                   "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature,
                   "user-agent": "bth-webhooks/1.0"}
        status, error = None, ""
        try:
            response = await self.http.post(sub["url"], content=body.encode(), headers=headers)
            status = response.status_code
            ok = 200 <= status < 300
            error = "" if ok else f"HTTP {status}"
        except httpx.HTTPError as exc:
            ok, error = False, f"{type(exc).__name__}: {exc}"[:300]
        first = d.get("first_attempt_at") or now
        attempts = d["attempts"] + 1
        update = {"attempts": attempts, "first_attempt_at": first, "last_status": status, "last_error": error,
                  "last_attempt_at": now}
        if ok:
            update |= {"state": "delivered", "delivered_at": now, "next_attempt_at": None}
        else:
            s = self.settings
            again = retry_at(attempts, first, now, s.webhook_retry_base_seconds, s.webhook_retry_max_seconds,
                             s.webhook_retry_horizon_seconds)
            update |= {"state": "pending", "next_attempt_at": again} if again else \
                {"state": "failed", "next_attempt_at": None}
            self.log.info("webhooks.attempt_failed", delivery=d["_id"], error=error, attempts=attempts)
        await self.db[DELIVERIES].update_one({"_id": d["_id"]}, {"$set": update})
        return ok
