"""Abuse: delivery fairness (issue 12 item 10). One partner's dead endpoint holds hundreds
of failing deliveries; another partner still gets every event at once. Driven by the
worker's step functions (`dispatch`, `idle`) and a ManualClock: no sleeps."""

import asyncio
import uuid

from pymongo import AsyncMongoClient

from services.common.clock import ManualClock
from services.gateway import feed, webhooks
from services.gateway.settings import GatewaySettings
from services.gateway.webhook_worker import DeliveryWorker
from tests.gateway.receiver import gateway_mongo

TYPE = "bth.registry.v1.AchievementSubmitted"
DEAD_BACKLOG = 200
GUARD = 300   # seconds: only a guard against a hang (the old dispatcher); a loaded machine is slow


class HoldingReceiver:
    """Records each request; holds every answer until `release` is set, then answers 503."""

    def __init__(self, hold_limit: int):
        self.requests: list[bytes] = []
        self.held, self.max_held = 0, 0
        self.release, self.holding = asyncio.Event(), asyncio.Event()
        self.hold_limit = hold_limit

    async def start(self) -> "HoldingReceiver":
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/hooks"
        return self

    async def _handle(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length"))
            self.requests.append(await reader.readexactly(length))
            self.held += 1
            self.max_held = max(self.max_held, self.held)
            if self.held == self.hold_limit:
                self.holding.set()
            await self.release.wait()
            self.held -= 1
            writer.write(b"HTTP/1.1 503 X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            await writer.drain()
        finally:
            writer.close()

    async def stop(self):
        self.release.set()
        self.server.close()
        await self.server.wait_closed()


class OkReceiver(HoldingReceiver):
    def __init__(self):
        super().__init__(hold_limit=0)
        self.release.set()

    async def _handle(self, reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        self.requests.append(await reader.readexactly(length))
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()


async def _subscription(db, url: str) -> dict:
    sub = {"_id": "sub_" + uuid.uuid4().hex[:8], "owner": "p", "organisation": "o", "region": "TIANJIN",
           "operator": True, "url": url, "event_types": ["*"], "secret": "whsec_" + "A" * 43, "active": True,
           "start_seq": 0}
    await db[webhooks.SUBSCRIPTIONS].insert_one(sub)
    return sub


async def _event(db, sub: dict, seq: int, key: str, now) -> None:
    event = {"_id": feed.key(seq), "event_id": f"e{seq}", "type": TYPE, "key": key,
             "event": {"specversion": "1.0", "id": f"e{seq}", "type": TYPE, "subject": key, "data": {"n": seq}}}
    await db[feed.COLLECTION].insert_one(event)
    await webhooks.enqueue(db, sub, event, now, f"{sub['_id']}:{seq}")


async def _states(db, sub: dict) -> dict:
    rows = await db[webhooks.DELIVERIES].find({"subscription_id": sub["_id"]}).to_list()
    out: dict = {}
    for d in rows:
        out[(d["state"], d["attempts"])] = out.get((d["state"], d["attempts"]), 0) + 1
    return out


async def test_a_dead_endpoint_does_not_delay_another_subscription(platform):
    client = AsyncMongoClient(gateway_mongo(platform), tz_aware=True, directConnection=True)
    db = client[f"fair_{uuid.uuid4().hex[:8]}"]
    dead_rx, ok_rx = await HoldingReceiver(hold_limit=4).start(), await OkReceiver().start()
    clock = ManualClock()
    settings = GatewaySettings(**platform.env("gateway"), webhook_allow_private_networks=True,
                               webhook_timeout_seconds=120, webhook_max_in_flight=8,
                               webhook_max_in_flight_per_subscription=4)
    worker = DeliveryWorker(settings, db, clock)
    try:
        dead, healthy = await _subscription(db, dead_rx.url), await _subscription(db, ok_rx.url)
        for seq in range(1, DEAD_BACKLOG + 1):              # the dead endpoint's backlog is older
            await _event(db, dead, seq, f"ach-dead-{seq}", clock.now())
        for seq in range(DEAD_BACKLOG + 1, DEAD_BACKLOG + 6):
            await _event(db, healthy, seq, "ach-ok", clock.now())

        assert await asyncio.wait_for(worker.dispatch(), GUARD) == 2
        await asyncio.wait_for(worker.idle({healthy["_id"]}), GUARD)
        assert [int(b.split(b'"n":')[1].split(b"}")[0]) for b in ok_rx.requests] == list(range(201, 206))
        assert await _states(db, healthy) == {("delivered", 1): 5}
        await asyncio.wait_for(dead_rx.holding.wait(), GUARD)   # the dead endpoint holds its 4 requests
        assert (len(dead_rx.requests), dead_rx.max_held) == (4, 4)
        assert await _states(db, dead) == {("pending", 0): DEAD_BACKLOG}

        await _event(db, healthy, DEAD_BACKLOG + 6, "ach-ok", clock.now())   # a new event while dead hangs
        assert await asyncio.wait_for(worker.dispatch(), GUARD) == 1              # the dead sender is still busy
        await asyncio.wait_for(worker.idle({healthy["_id"]}), GUARD)
        assert len(ok_rx.requests) == 6 and await _states(db, healthy) == {("delivered", 1): 6}

        dead_rx.release.set()                                # now it fails fast (503)
        await asyncio.wait_for(worker.idle(), GUARD)
        assert len(dead_rx.requests) == DEAD_BACKLOG and dead_rx.max_held == 4
        assert await _states(db, dead) == {("pending", 1): DEAD_BACKLOG}
        assert await worker.dispatch() == 0                  # nothing is due until the back-off passes
        clock.advance(seconds=2)                             # first retry is due within 0.5-1 s
        assert await worker.dispatch() == 1                  # the dead subscription's sender, again
    finally:
        await worker.aclose()
        await dead_rx.stop()
        await ok_rx.stop()
        await client.drop_database(db.name)
        await client.close()
