"""The write and read paths on the platform as the chart runs it (separate processes, the chart's
default settings; the benchmark is the client): a raw two-insert transaction on the registry's own
Mongo-wire server is the store floor; DraftAchievement over gRPC straight to the registry, and
POST /api/v1/achievements through the gateway without and with Idempotency-Key, are measured
against it at concurrency 1, 8 and 32. The read: GET through the gateway vs a direct gRPC call, and
that call vs a direct PyMongo read of the document."""

import asyncio
import time
import uuid

import grpc
import httpx
import pytest

from bth.registry.v1 import registry_service_pb2 as pb
from bth.registry.v1 import registry_service_pb2_grpc
from services.common import mongo
from services.common.identity import Principal
from tests.bench.report import p50, pct
from tests.bench.test_store import raw_transaction_ms
from tests.support.identity import bearer, signed

pytestmark = pytest.mark.bench
CONCURRENCY = (1, 8, 32)
WHO = Principal("bench-writer", "org-bench-university", "BEIJING", frozenset({"institution"}))
HEADERS = bearer(WHO.subject, WHO.organisation, WHO.region, "institution")
# idle pooled connections expire before uvicorn closes them (5 s keep-alive): otherwise a request sent
# as the server closes its connection fails with ReadError
LIMITS = httpx.Limits(keepalive_expiry=2.0)
SECTION = "Write path (processes as the chart runs them; registry's store: Mongo-wire server, memory engine)"


def _record() -> dict:
    return {"title": f"基于深度学习的锂电池健康状态评估方法 {uuid.uuid4()}", "field": "5g", "type": "patent", "trl": 5,
            "abstract": "面向储能电站的电池健康状态在线评估与寿命预测", "keywords": ["锂电池", "健康状态"]}


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


def _requests(concurrency: int) -> int:
    return max(30, 4 * concurrency)


async def test_write_path(deployed, report):
    client = mongo.connect(deployed.mongo_uris["registry"], serialize_writes=False)
    floor = p50(await raw_transaction_ms(client, "bench_floor", 30))
    await client.close()
    report.add(SECTION, "raw two-insert transaction on the registry's server, p50", floor, "ms")
    async with (grpc.aio.insecure_channel(f"127.0.0.1:{deployed.ports['registry']['grpc']}") as channel,
                httpx.AsyncClient(base_url=deployed.gateway_url, timeout=60, headers=HEADERS, limits=LIMITS) as api):
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)

        async def draft():
            await stub.DraftAchievement(pb.DraftAchievementRequest(**_record()), metadata=signed(WHO), timeout=60)

        refused: list[int] = []   # answers other than 201 (a 503 past the gRPC deadline under overload)

        async def post(key: bool):
            r = await api.post("/api/v1/achievements", json=_record(),
                               headers={"Idempotency-Key": str(uuid.uuid4())} if key else {})
            assert r.status_code in (201, 503), r.text
            if r.status_code != 201:
                refused.append(r.status_code)
        await draft()
        await post(True)
        for name, call in (("DraftAchievement over gRPC", draft), ("POST via gateway", lambda: post(False)),
                           ("POST via gateway with Idempotency-Key", lambda: post(True))):
            rates = {}
            for concurrency in CONCURRENCY:
                refused.clear()
                times, rates[concurrency] = await _concurrently(call, _requests(concurrency), concurrency)
                errors = f", {len(refused)} of {_requests(concurrency)} answered 503" if refused else ""
                report.add(SECTION, f"{name}, concurrency {concurrency}, p50 (p99 {pct(times, 0.99):.0f} ms, "
                           f"{rates[concurrency]:.1f}/s{errors})", p50(times), "ms", "store floor", floor,
                           target="≤ 5× at concurrency 1" if concurrency == 1 else "",
                           met=p50(times) <= 5 * floor and not refused if concurrency == 1 else None)
            for concurrency in CONCURRENCY[1:]:
                report.add(SECTION, f"{name}: throughput at concurrency {concurrency}", rates[concurrency], "req/s",
                           "at concurrency 1", rates[1], target="≥ 1× (grows)", met=rates[concurrency] >= rates[1])


async def test_read_path(deployed, report):
    async with (grpc.aio.insecure_channel(f"127.0.0.1:{deployed.ports['registry']['grpc']}") as channel,
                httpx.AsyncClient(base_url=deployed.gateway_url, timeout=60, headers=HEADERS, limits=LIMITS) as api):
        created = await api.post("/api/v1/achievements", json=_record())
        assert created.status_code == 201, created.text
        aid = created.json()["achievement_id"]
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        ref = pb.AchievementRef(achievement_id=aid)

        async def direct():
            await stub.GetAchievement(ref, metadata=signed(WHO), timeout=60)

        async def via_gateway():
            r = await api.get(f"/api/v1/achievements/{aid}")
            assert r.status_code == 200
        store = mongo.connect(deployed.mongo_uris["registry"], serialize_writes=False)
        achievements = store[deployed.env["registry"].get("MONGO_DB") or "registry"]["achievements"]

        async def pymongo_read():
            assert await achievements.find_one({"_id": aid}) is not None
        section = "Read path (GET one achievement; processes as the chart runs them)"
        for concurrency in CONCURRENCY:
            await _concurrently(pymongo_read, 20, concurrency)
            floor, _ = await _concurrently(pymongo_read, 100, concurrency)
            await _concurrently(direct, 20, concurrency)
            base, _ = await _concurrently(direct, 100, concurrency)
            await _concurrently(via_gateway, 20, concurrency)
            gw, _ = await _concurrently(via_gateway, 100, concurrency)
            report.add(section, f"gateway → gRPC → Mongo, concurrency {concurrency}, p50 (p99 {pct(gw, 0.99):.0f} ms)",
                       p50(gw), "ms", f"direct gRPC (p99 {pct(base, 0.99):.0f} ms)", p50(base), target="≤ 1.3×",
                       met=p50(gw) <= 1.3 * p50(base))
            report.add(section, f"direct gRPC, concurrency {concurrency}, p50", p50(base), "ms",
                       f"direct PyMongo find_one by _id (p99 {pct(floor, 0.99):.0f} ms)", p50(floor))
        await store.close()
