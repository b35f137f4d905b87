"""The write and read paths on the test platform (one Mongo-wire server per service, memory
engine): a raw two-insert transaction on the registry's own server is the floor; DraftAchievement
over gRPC and POST /api/v1/achievements through the gateway (without and with Idempotency-Key)
are measured against it, at concurrency 1 and 8. The read: GET through the gateway vs gRPC."""

import asyncio
import time
import uuid

import grpc
import pytest

from bth.registry.v1 import registry_service_pb2 as pb
from bth.registry.v1 import registry_service_pb2_grpc
from services.common import mongo
from services.common.identity import Principal
from tests.bench.report import p50, pct
from tests.bench.test_store import raw_transaction_ms
from tests.support.identity import INSTITUTION, signed

pytestmark = pytest.mark.bench
N = 20
WHO = Principal("demo-user", "org-demo-university", "BEIJING", frozenset({"institution"}))
SECTION = "Write path (test platform, memory engine)"


def _record() -> dict:
    return {"title": f"bench {uuid.uuid4()}", "field": "5g", "type": "patent", "trl": 5}


async def _concurrently(call, n: int, concurrency: int) -> tuple[list[float], float]:
    times, queue = [], asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async def client():
        while not queue.empty():
            queue.get_nowait()
            started = time.perf_counter()
            await call()
            times.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return times, n / (time.perf_counter() - started)


async def test_write_path(platform, api, infra, report):
    client = mongo.connect(infra["mongo_by_service"]["registry"])
    floor = p50(await raw_transaction_ms(client, "bench_floor", N))
    await client.close()
    report.add(SECTION, "raw two-insert transaction on the registry's server, p50", floor, "ms")
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)

        async def draft():
            await stub.DraftAchievement(pb.DraftAchievementRequest(**_record()), metadata=signed(WHO))

        async def post(key: bool):
            headers = INSTITUTION | ({"Idempotency-Key": str(uuid.uuid4())} if key else {})
            r = await api.post("/api/v1/achievements", json=_record(), headers=headers)
            assert r.status_code == 201, r.text
        await draft()
        await post(True)
        rates = {}
        for name, call in (("DraftAchievement over gRPC", draft), ("POST via gateway", lambda: post(False)),
                           ("POST via gateway with Idempotency-Key", lambda: post(True))):
            for concurrency in (1, 8):
                times, rate = await _concurrently(call, N, concurrency)
                rates[(name, concurrency)] = rate
                report.add(SECTION, f"{name}, concurrency {concurrency}, p50 (p99 {pct(times, 0.99):.0f} ms, "
                           f"{rate:.1f}/s)", p50(times), "ms", "store floor", floor,
                           target="≤ 5× at concurrency 1" if concurrency == 1 else "",
                           met=p50(times) <= 5 * floor if concurrency == 1 else None)
            one, eight = rates[(name, 1)], rates[(name, 8)]
            report.add(SECTION, f"{name}: throughput at concurrency 8", eight, "req/s", "at concurrency 1", one,
                       target="≥ 1× (grows)", met=eight >= one)


async def test_read_path(platform, api, report):
    created = (await api.post("/api/v1/achievements", json=_record())).json()
    aid = created["achievement_id"]
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        ref = pb.AchievementRef(achievement_id=aid)

        async def direct():
            await stub.GetAchievement(ref, metadata=signed(WHO))

        async def via_gateway():
            r = await api.get(f"/api/v1/achievements/{aid}", headers=INSTITUTION)
            assert r.status_code == 200
        for concurrency in (1, 8):
            await _concurrently(direct, 20, concurrency)
            base, _ = await _concurrently(direct, 100, concurrency)
            await _concurrently(via_gateway, 20, concurrency)
            gw, _ = await _concurrently(via_gateway, 100, concurrency)
            report.add("Read path (GET one achievement)", f"gateway → gRPC → Mongo, concurrency {concurrency}, p50",
                       p50(gw), "ms", "direct gRPC", p50(base), target="≤ 1.3×", met=p50(gw) <= 1.3 * p50(base))
