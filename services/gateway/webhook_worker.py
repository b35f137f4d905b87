"""The webhook delivery worker: fans feed events out to matching subscriptions and POSTs
them signed the Standard Webhooks way, with retries (rules in webhooks.py). Fairness: each
subscription has its own queue and sender; `dispatch` starts a sender per subscription with
due deliveries, each sends at most WEBHOOK_MAX_IN_FLIGHT_PER_SUBSCRIPTION at once and all
together at most WEBHOOK_MAX_IN_FLIGHT, so one dead endpoint cannot delay another's."""

import asyncio
import json
import time

import httpx
from opentelemetry.trace import SpanKind
from standardwebhooks import Webhook

from services.common import logs, tracing
from services.gateway import egress, feed, metrics
from services.gateway.webhooks import DELIVERIES, SUBSCRIPTIONS, delivery, enqueue_all, matches, retry_at


def due_heads(pending: list[dict], now, limit: int) -> list[dict]:
    """Of one subscription's pending deliveries (oldest first), the first of each entity lane
    when it is due; a later delivery of an entity waits while an earlier one is pending."""
    seen, heads = set(), []
    for d in pending:
        if d["key"] in seen:
            continue
        seen.add(d["key"])
        if d["next_attempt_at"] <= now:
            heads.append(d)
            if len(heads) == limit:
                break
    return heads


class DeliveryWorker:
    def __init__(self, settings, db, clock, http: httpx.AsyncClient | None = None):
        self.settings, self.db, self.clock = settings, db, clock
        self.http = http or egress.guarded_client(settings)   # every connect checks the resolved address
        self.log = logs.get("webhooks")
        self.senders: dict[str, asyncio.Task] = {}     # subscription id -> its sender
        self.in_flight = asyncio.Semaphore(settings.webhook_max_in_flight)
        self.on_sender_done = lambda: None    # the delivery loop's wake-up

    async def fan_out(self) -> int:
        state = await self.db["counters"].find_one({"_id": "webhook_fanout"}) or {"seq": 0}
        events = await self.db[feed.COLLECTION].find({"_id": {"$gt": feed.key(state["seq"])}}).sort("_id", 1) \
            .limit(200).to_list()
        if not events:
            return 0
        subs = await self.db[SUBSCRIPTIONS].find({"active": True}).to_list()
        now = self.clock.now()
        await enqueue_all(self.db, [delivery(sub, event_doc, now, f"{sub['_id']}:{feed.seq_of(event_doc)}")
                                    for event_doc in events for sub in subs
                                    if feed.seq_of(event_doc) > sub["start_seq"] and matches(sub, event_doc)])
        await self.db["counters"].update_one({"_id": "webhook_fanout"}, {"$set": {"seq": feed.seq_of(events[-1])}},
                                             upsert=True)
        return len(events)

    async def dispatch(self) -> int:
        """Start a sender for every subscription with a due delivery and no sender running
        (oldest first); returns how many were started. Senders run on their own, so a slow
        or dead endpoint only ever holds its own subscription's queue."""
        now = self.clock.now()
        due = await (await self.db[DELIVERIES].aggregate([
            {"$match": {"state": "pending", "next_attempt_at": {"$lte": now}}},
            {"$group": {"_id": "$subscription_id", "first": {"$min": "$seq"}}}, {"$sort": {"first": 1}}])).to_list()
        self.senders = {sid: task for sid, task in self.senders.items() if not task.done()}
        started = 0
        for row in due:
            if row["_id"] not in self.senders and not self.http.is_closed:
                self.senders[row["_id"]] = asyncio.create_task(self._drain(row["_id"]))
                self.senders[row["_id"]].add_done_callback(lambda _: self.on_sender_done())
                started += 1
        return started

    async def next_due(self):
        """When the earliest pending delivery without a running sender is due (None: none pending)."""
        running = [sid for sid, task in self.senders.items() if not task.done()]
        first = await self.db[DELIVERIES].find_one({"state": "pending", "subscription_id": {"$nin": running}},
                                                   {"next_attempt_at": 1}, sort=[("next_attempt_at", 1)])
        return first["next_attempt_at"] if first else None

    async def idle(self, subscription_ids=None) -> None:
        """Wait until the senders (of these subscriptions, or all) have nothing due left."""
        tasks = [t for sid, t in self.senders.items() if subscription_ids is None or sid in subscription_ids]
        await asyncio.gather(*tasks, return_exceptions=True)

    async def aclose(self) -> None:
        for task in self.senders.values():
            task.cancel()
        await self.idle()
        await self.http.aclose()

    async def _drain(self, subscription_id: str) -> None:
        """One subscription's queue: per round, the due head of each of its entity lanes
        (at most WEBHOOK_MAX_IN_FLIGHT_PER_SUBSCRIPTION), sent concurrently, until none is due."""
        while not self.http.is_closed:
            sub = await self.db[SUBSCRIPTIONS].find_one({"_id": subscription_id})
            if sub is None or not sub["active"]:
                await self.db[DELIVERIES].update_many({"subscription_id": subscription_id, "state": "pending"},
                                                      {"$set": {"state": "cancelled"}})
                return
            pending = await self.db[DELIVERIES].find({"subscription_id": subscription_id, "state": "pending"}) \
                .sort([("seq", 1), ("created_at", 1)]).limit(500).to_list()
            batch = due_heads(pending, self.clock.now(), self.settings.webhook_max_in_flight_per_subscription)
            if not batch:
                return
            await asyncio.gather(*(self._bounded(sub, d) for d in batch))

    async def _bounded(self, sub: dict, d: dict) -> None:
        async with self.in_flight:
            try:
                await self.attempt(sub, d)
            except Exception as exc:  # noqa: BLE001 - Mongo trouble: the delivery stays pending
                self.log.warning("webhooks.attempt_error", delivery=d["_id"], error=f"{type(exc).__name__}: {exc}")

    async def attempt(self, sub: dict, d: dict) -> bool:
        event_doc = await self.db[feed.COLLECTION].find_one({"_id": feed.key(d["seq"])})
        body = json.dumps(feed.served(event_doc), ensure_ascii=False, separators=(",", ":"))
        now = self.clock.now()
        msg_id = "msg_" + event_doc["event_id"]
        signature = Webhook(sub["secret"]).sign(msg_id, now, body)
        headers = {"content-type": "application/cloudevents+json; charset=utf-8", "webhook-id": msg_id,
                   "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature,
                   "user-agent": "bth-webhooks/1.0"}
        status, error = None, ""
        started = time.perf_counter()
        try:
            with tracing.consuming("webhook deliver", event_doc["event"].get("traceparent", ""), SpanKind.CLIENT,
                                   **{"bth.subscription_id": sub["_id"], "cloudevents.event_id": msg_id}):
                response = await self.http.post(sub["url"], content=body.encode(), headers=headers | tracing.headers())
            status = response.status_code
            ok = 200 <= status < 300
            error, outcome = ("", "delivered") if ok else (f"HTTP {status}", "http_error")
        except httpx.HTTPError as exc:
            ok, error, outcome = False, f"{type(exc).__name__}: {exc}"[:300], "transport_error"
        metrics.WEBHOOK_LATENCY.labels(outcome).observe(time.perf_counter() - started)
        metrics.WEBHOOK_ATTEMPTS.labels(outcome).inc()
        if not ok:
            metrics.WEBHOOK_FAILED.inc()
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
            if not again:
                metrics.WEBHOOK_GAVE_UP.inc()
            self.log.info("webhooks.attempt_failed", delivery=d["_id"], error=error, attempts=attempts)
        await self.db[DELIVERIES].update_one({"_id": d["_id"]}, {"$set": update})
        return ok
