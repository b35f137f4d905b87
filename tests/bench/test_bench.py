"""Benchmarks (`make bench`): ratios to baselines measured in the same run, since these
machines are noisy. Each prints its figures; targets from the developers' guide:
pipeline ≥ 0.5× raw aiokafka, gateway read ≤ 2× direct gRPC, each process < 150 MB at rest."""

import asyncio
import os
import subprocess
import sys
import time
import uuid

import grpc
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bth.registry.v1 import registry_service_pb2, registry_service_pb2_grpc
from services import devinfra
from services.common import mongo
from services.common.clock import SystemClock
from services.common.outbox import Outbox
from services.common.relay import OutboxRelay
from services.common.settings import KafkaSettings
from tests.common.test_outbox_and_consumer import commit_events
from tests.support.identity import INSTITUTION, signed
from tests.support.platform import SERVICES

pytestmark = pytest.mark.bench
N = 1000


async def _consume(kafka, topic, n) -> float:
    consumer = AIOKafkaConsumer(topic, group_id=f"b-{uuid.uuid4()}", auto_offset_reset="earliest",
                                **kafka.client_options())
    await consumer.start()
    seen, start = 0, time.perf_counter()
    while seen < n:
        batch = await consumer.getmany(timeout_ms=200)
        seen += sum(len(v) for v in batch.values())
    await consumer.stop()
    return time.perf_counter() - start


async def test_event_pipeline_vs_raw_aiokafka(infra, capsys):
    kafka = KafkaSettings(bootstrap_servers=infra["kafka"])
    payload = b"x" * 400
    producer = AIOKafkaProducer(acks="all", **kafka.client_options())
    await producer.start()
    topic = f"bench.raw.{uuid.uuid4().hex[:6]}"
    start = time.perf_counter()
    futures = [await producer.send(topic, payload, key=str(i % 50).encode()) for i in range(N)]
    await asyncio.gather(*futures)
    raw_publish = time.perf_counter() - start
    await producer.stop()

    client = mongo.connect(infra["mongo"])
    outbox = Outbox(client[f"bench_{uuid.uuid4().hex[:6]}"], "/bth/bench", SystemClock())
    await outbox.create_indexes()
    await commit_events(client, outbox.collection.database.name, outbox, N, f"bench-{uuid.uuid4().hex[:6]}")
    relay = OutboxRelay(outbox, kafka, batch=500)
    producer = relay._producer()
    await producer.start()
    start = time.perf_counter()
    while await relay.publish_pending(producer):
        pass
    relay_publish = time.perf_counter() - start
    await producer.stop()
    await client.close()
    ratio = raw_publish / relay_publish
    with capsys.disabled():
        print(f"\n[bench] publish {N} events: raw aiokafka {N / raw_publish:,.0f}/s, outbox relay "
              f"{N / relay_publish:,.0f}/s (incl. envelope + marking in Mongo) -> ratio {ratio:.2f} "
              f"(target >= 0.5: {'met' if ratio >= 0.5 else 'MISSED'})")


async def test_gateway_read_vs_direct_grpc(platform, api, capsys):
    created = (await api.post("/api/v1/achievements", json={
        "title": f"bench {uuid.uuid4()}", "field": "5g", "type": "patent", "trl": 5})).json()
    aid = created["achievement_id"]
    from services.common.identity import Principal

    who = Principal("demo-user", "org-demo-university", "BEIJING", frozenset({"institution"}))
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        ref = registry_service_pb2.AchievementRef(achievement_id=aid)
        for _ in range(20):
            await stub.GetAchievement(ref, metadata=signed(who))
        start = time.perf_counter()
        for _ in range(200):
            await stub.GetAchievement(ref, metadata=signed(who))
        direct = (time.perf_counter() - start) / 200
    for _ in range(20):
        await api.get(f"/api/v1/achievements/{aid}", headers=INSTITUTION)
    start = time.perf_counter()
    for _ in range(200):
        r = await api.get(f"/api/v1/achievements/{aid}", headers=INSTITUTION)
        assert r.status_code == 200
    via_gateway = (time.perf_counter() - start) / 200
    ratio = via_gateway / direct
    with capsys.disabled():
        print(f"\n[bench] read one achievement: direct gRPC {direct * 1000:.2f} ms, gateway "
              f"{via_gateway * 1000:.2f} ms -> ratio {ratio:.2f} (target <= 2: {'met' if ratio <= 2 else 'MISSED'})")


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def test_memory_at_rest(infra, capsys):
    env = os.environ | {"KAFKA_BOOTSTRAP_SERVERS": infra["kafka"]}
    procs = {}
    for name in [*SERVICES, "gateway"]:
        port = devinfra.free_port()
        extra = {"MONGO_URI": infra["mongo_by_service"][name], "GRPC_PORT": str(port), "HTTP_PORT": str(port),
                 "METRICS_PORT": str(devinfra.free_port())}
        procs[name] = (subprocess.Popen([sys.executable, "-m", f"services.{name}"], env=env | extra,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), port)
        if name in SERVICES:
            worker_env = env | extra | {"METRICS_PORT": str(devinfra.free_port())}
            procs[f"{name}-worker"] = (subprocess.Popen([sys.executable, "-m", f"services.{name}.worker"],
                                                        env=worker_env, stdout=subprocess.DEVNULL,
                                                        stderr=subprocess.DEVNULL), None)
    try:
        for _name, (proc, port) in procs.items():
            if port:
                devinfra.wait_for_port(port, timeout=60, proc=proc)
        time.sleep(8)
        rows = {name: _rss_mb(proc.pid) for name, (proc, _) in procs.items()}
    finally:
        for proc, _ in procs.values():
            devinfra.stop(proc)
    with capsys.disabled():
        for name, mb in rows.items():
            print(f"[bench] {name:22s} {mb:6.1f} MB at rest (target < 150: {'met' if mb < 150 else 'MISSED'})")
