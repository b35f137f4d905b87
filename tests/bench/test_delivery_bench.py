"""Partner delivery: state change stored in the feed → signed webhook at a local receiver, with
and without a dead subscriber; its scaling over subscribers; and the delivery loop at rest (woken by
events vs the former 0.2 s polling)."""

import asyncio
import json
import time
import uuid

import pytest

from services import devinfra
from services.common import mongo
from services.common.settings import MongoSettings
from services.gateway import delivery as gateway_delivery
from services.gateway import feed, webhooks
from services.gateway.settings import GatewaySettings
from tests.bench.procstat import LOOP_WINDOW, cpu_seconds
from tests.bench.report import p50, pct

pytestmark = pytest.mark.bench
TYPE = "bth.registry.v1.AchievementSubmitted"


class _Receiver:
    """Answers 200 and stamps each event's arrival; `dead=True` accepts and never answers."""

    def __init__(self, dead: bool = False):
        self.dead, self.arrived, self.server = dead, {}, None

    async def start(self):
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/hooks"

    async def _handle(self, reader, writer):
        head = await reader.readuntil(b"\r\n\r\n")
        if self.dead:
            await asyncio.sleep(3600)
        length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length"))
        body = json.loads(await reader.readexactly(length))
        self.arrived[body["id"]] = time.perf_counter()
        writer.write(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    async def stop(self):
        if self.server is not None:
            self.server.close()


async def _subscribe(db, url: str) -> None:
    await db[webhooks.SUBSCRIPTIONS].insert_one({
        "_id": "sub_" + uuid.uuid4().hex[:8], "owner": "p", "organisation": "o", "region": "TIANJIN", "operator": True,
        "url": url, "event_types": ["*"], "secret": "whsec_" + "A" * 43, "active": True, "start_seq": 0})


async def _deliveries(mongo_uri: str, dead: bool, n: int, rate: float, **settings) -> tuple[list[float], float]:
    """Latencies of the events that arrived (ms), and the rate at which they were stored (per s):
    below `rate` when the store cannot take more."""
    client = mongo.connect(mongo_uri, serialize_writes=False)
    db = client[f"bench_hooks_{uuid.uuid4().hex[:6]}"]
    await gateway_delivery.create_indexes(db)
    s = GatewaySettings(mongo=MongoSettings(uri=mongo_uri), webhook_allow_private_networks=True,
                        webhook_timeout_seconds=2.0, **settings)
    d = gateway_delivery.Delivery(s, db)
    ok, down = _Receiver(), _Receiver(dead=True)
    await _subscribe(db, await ok.start())
    if dead:
        await _subscribe(db, await down.start())
    loop = asyncio.create_task(d.deliver_forever())
    sent = {}
    begun = time.perf_counter()
    for seq in range(1, n + 1):
        eid = f"e{seq}-{uuid.uuid4().hex[:4]}"
        await db[feed.COLLECTION].insert_one({
            "_id": feed.key(seq), "event_id": eid, "type": TYPE, "key": f"ach-{seq % 7}", "public": True,
            "all_regions": True, "regions": [],
            "event": {"specversion": "1.0", "id": eid, "type": TYPE, "subject": f"ach-{seq % 7}"}})
        sent[eid] = time.perf_counter()
        d._stored()
        await asyncio.sleep(max(0.0, begun + seq / rate - time.perf_counter()))
    stored_rate = n / (time.perf_counter() - begun)
    for _ in range(300):
        if len(ok.arrived) == n:
            break
        await asyncio.sleep(0.05)
    loop.cancel()
    await d.worker.aclose()
    await ok.stop()
    await down.stop()
    await client.drop_database(db.name)
    await client.close()
    return [(ok.arrived[e] - t) * 1000 for e, t in sent.items() if e in ok.arrived], stored_rate


EVENTS = 60   # per rate: the feed is written at the rate (as far as the store takes it), one event at a time


async def test_webhook_delivery_latency_with_a_dead_subscriber(infra, report):
    section = "Partner delivery (state change stored in the feed → signed webhook received)"
    for rate in (20, 50, 100, 1000):
        alone, _ = await _deliveries(infra["mongo"], False, EVENTS, rate)
        beside, stored = await _deliveries(infra["mongo"], True, EVENTS, rate)
        report.add(section, f"{rate}/s with a dead subscriber present (stored at {stored:.0f}/s), p50 (p99 "
                   f"{pct(beside, 0.99):.0f} ms, {len(beside)}/{EVENTS} delivered)", p50(beside), "ms",
                   "no dead subscriber", p50(alone), target="≤ 1.5×",
                   met=p50(beside) <= 1.5 * p50(alone) and len(beside) == EVENTS)


async def test_delivery_loop_at_rest(tmp_path, report):
    """The delivery loop and its Mongo-wire server at rest: event-driven (now) vs 0.2 s polling (before)."""
    port = devinfra.free_port()
    server = devinfra.start_mongo(port, str(tmp_path / "gw.sqlite"))
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    figures = {}
    try:
        for label, idle in (("polling every 0.2 s (before)", 0.2), ("event-driven (now)", 30.0)):
            client = mongo.connect(uri, serialize_writes=False)
            db = client[f"idle_{uuid.uuid4().hex[:6]}"]
            await gateway_delivery.create_indexes(db)
            d = gateway_delivery.Delivery(GatewaySettings(mongo=MongoSettings(uri=uri), delivery_idle_seconds=idle), db)
            await _subscribe(db, "http://127.0.0.1:9/hooks")   # a failing subscription, nothing pending
            loop = asyncio.create_task(d.deliver_forever())
            await asyncio.sleep(1)
            cpu0, own0 = cpu_seconds(server.pid), time.process_time()
            await asyncio.sleep(LOOP_WINDOW)
            figures[label] = (100 * (cpu_seconds(server.pid) - cpu0) / LOOP_WINDOW,
                              100 * (time.process_time() - own0) / LOOP_WINDOW)
            loop.cancel()
            await d.worker.aclose()
            await client.drop_database(db.name)
            await client.close()
    finally:
        devinfra.stop(server)
    before, now = figures["polling every 0.2 s (before)"], figures["event-driven (now)"]
    section = f"Delivery loop at rest ({LOOP_WINDOW:.0f} s window, % of one core)"
    report.add(section, "its Mongo-wire server (SQLite)", now[0], "%", "polling (before)", before[0],
               target="≤ 1 %", met=now[0] <= 1)
    report.add(section, "the delivery process itself (incl. the test runner)", now[1], "%", "polling (before)",
               before[1], target="≤ 1 %", met=now[1] <= 1)


SCALING_EVENTS = 100


async def _fan_out_rate(mongo_uri: str, subscribers: int) -> tuple[float, float]:
    """Deliveries per second of one delivery process to `subscribers` live receivers, from the
    first round to the last delivery of SCALING_EVENTS events stored up front, and the CPU of this
    process meanwhile (% of a core: the delivery loop and the receivers share its event loop)."""
    client = mongo.connect(mongo_uri, serialize_writes=False)
    db = client[f"bench_fan_{uuid.uuid4().hex[:6]}"]
    await gateway_delivery.create_indexes(db)
    d = gateway_delivery.Delivery(GatewaySettings(mongo=MongoSettings(uri=mongo_uri),
                                                  webhook_allow_private_networks=True), db)
    receivers = [_Receiver() for _ in range(subscribers)]
    for receiver in receivers:
        await _subscribe(db, await receiver.start())
    await db[feed.COLLECTION].insert_many([{
        "_id": feed.key(seq), "event_id": f"e{seq}", "type": TYPE, "key": f"ach-{seq}", "public": True,
        "all_regions": True, "regions": [],
        "event": {"specversion": "1.0", "id": f"e{seq}", "type": TYPE, "subject": f"ach-{seq}"},
    } for seq in range(1, SCALING_EVENTS + 1)])
    started, cpu = time.perf_counter(), time.process_time()
    loop = asyncio.create_task(d.deliver_forever())
    for _ in range(1200):
        if all(len(r.arrived) == SCALING_EVENTS for r in receivers):
            break
        await asyncio.sleep(0.05)
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    loop.cancel()
    await d.worker.aclose()
    for receiver in receivers:
        await receiver.stop()
    await client.drop_database(db.name)
    await client.close()
    assert [len(r.arrived) for r in receivers] == [SCALING_EVENTS] * subscribers
    return subscribers * SCALING_EVENTS / took, 100 * cpu / took


async def test_delivery_scaling_over_subscribers(infra, report):
    """The deployment runs one delivery process (it reads the feed in commit order and keeps each
    subscription's order per entity), so what scales is its senders: one per subscription."""
    section = (f"Partner delivery scaling ({SCALING_EVENTS} stored events to 1, 2 and 4 live subscribers; "
               "one delivery process, a sender per subscription)")
    rates = {}
    for subscribers in (1, 2, 4):
        rates[subscribers], busy = await _fan_out_rate(infra["mongo"], subscribers)
        report.add(section, f"{subscribers} subscriber{'s' if subscribers > 1 else ''}: deliveries/s",
                   rates[subscribers], "deliveries/s", "1 subscriber", rates[1],
                   target=f"≥ {0.8 * subscribers:.1f}× (near-linear)",
                   met=rates[subscribers] >= 0.8 * subscribers * rates[1],
                   note=f"the delivery process (with the receivers) busy {busy:.0f} % of a core")
