"""A `make run` stack for the fault suite, built from devrun's own pieces on free ports, with
each process killable and restartable alone; and steady writers through the gateway that
count what was acknowledged."""

import asyncio
import signal
import subprocess
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx
from pymongo import AsyncMongoClient

from services import devinfra, devports, devrun
from tests.support.identity import bearer

BODY = {"abstract": "Fault suite write.", "field": "5g", "type": "patent", "trl": 6, "keywords": ["5G"],
        "transfer_modes": ["licence"], "indicative_price": "1000.00", "submit": True}
RETRIED = {409, 429, 500, 502, 503, 504}
ENV = {"RATE_LIMIT_REQUESTS": "1000000",   # steady writers are not abuse
       "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true", "WEBHOOK_RETRY_BASE_SECONDS": "0.5",
       "WEBHOOK_RETRY_MAX_SECONDS": "2"}      # the partner is a local receiver
SUBMITTED = "bth.registry.v1.AchievementSubmitted"
OPERATOR = bearer("op-faults", "org-platform", "BEIJING", "operator", ttl=3600)


class Stack:
    """`split`: the API, worker and delivery processes apart, as the chart runs them."""

    def __init__(self, data: Path, split: bool = False):
        self.data, self.split = data, split
        (data / "logs").mkdir(parents=True, exist_ok=True)
        ports = iter(sorted({devinfra.free_port() for _ in range(40)}))
        self.ports = {name: next(ports) for name in devports.PORTS}
        self.ports |= {f"metrics-{name}": next(ports) for name in devrun.SPLIT} if split else {}
        self.stages: list[list] = [[], [], []]
        self.url = f"http://127.0.0.1:{self.ports['http']}"

    @property
    def processes(self) -> list[str]:
        """The processes with a probe listener (/readyz, /metrics)."""
        return [n for stage in devrun.stages_of(self.split)[1:] for n in stage if n != "gateway"]

    def start(self) -> None:
        devrun._start(self.data, self.ports, self.stages, ENV, self.split)

    def proc(self, name: str) -> subprocess.Popen:
        return next(p for stage in self.stages for n, p in stage if n == name)

    def kill(self, name: str) -> None:
        self.proc(name).send_signal(signal.SIGKILL)
        self.proc(name).wait()

    def restart(self, name: str) -> None:
        for stage in self.stages:
            for i, (n, _) in enumerate(stage):
                if n == name:
                    stage[i] = (name, devrun.spawn(name, self.data, self.ports, ENV, self.split))
        if name in devrun.SERVICES:
            devinfra.wait_for_port(self.ports[f"grpc-{name}"], timeout=90, proc=self.proc(name))
        if name in devrun.SPLIT:
            devinfra.wait_for_port(self.ports[f"metrics-{name}"], timeout=90, proc=self.proc(name))
        if name == "gateway":
            devinfra.wait_for_port(self.ports["http"], timeout=90, proc=self.proc(name))
        if name == "kafka" or name.startswith("mongo-"):
            devinfra.wait_for_port(self.ports[name], timeout=30, proc=self.proc(name))

    def kill_and_restart(self, name: str) -> None:
        self.kill(name)
        self.restart(name)

    def pause(self, name: str, seconds: float) -> None:
        """SIGSTOP, then SIGCONT `seconds` later: a process that hangs (a stalled disk, a GC pause)."""
        self.proc(name).send_signal(signal.SIGSTOP)
        time.sleep(seconds)
        self.proc(name).send_signal(signal.SIGCONT)

    def stop_and_start(self) -> None:
        """The whole platform stopped in dependency order and started again on the same data."""
        devrun._stop(self.stages)
        self.stages = [[], [], []]
        self.start()

    def stop(self) -> None:
        devrun._stop(self.stages)

    def mongo(self, service: str):
        return AsyncMongoClient(devrun._mongo_uri(self.ports, service), tz_aware=True)[service]


class Writers:
    """`n` clients, each writing achievements one after another, every write retried with its
    own Idempotency-Key until it is acknowledged (201)."""

    def __init__(self, url: str, n: int = 4):
        self.url, self.n = url, n
        self.acknowledged: dict[str, str] = {}   # title → achievement id
        self.errors: Counter = Counter()
        self.stop = asyncio.Event()

    async def run(self) -> None:
        await asyncio.gather(*(self._client() for _ in range(self.n)))

    async def _client(self) -> None:
        who = bearer(f"writer-{uuid.uuid4().hex[:6]}", "org-demo-university", "BEIJING", "institution", ttl=3600)
        async with httpx.AsyncClient(base_url=self.url, timeout=10, headers=who) as c:
            while not self.stop.is_set():
                await self._write(c, f"fault-{uuid.uuid4().hex}")

    async def _write(self, c, title: str) -> None:
        key, deadline = uuid.uuid4().hex, time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                r = await c.post("/api/v1/achievements", json=BODY | {"title": title}, headers={"Idempotency-Key": key})
            except httpx.HTTPError as exc:
                self.errors[type(exc).__name__] += 1
            else:
                if r.status_code == 201:
                    self.acknowledged[title] = r.json()["achievement_id"]
                    return
                self.errors[str(r.status_code)] += 1
                if r.status_code not in RETRIED:
                    return
            await asyncio.sleep(0.2)  # a client's retry pause (real time: the fault is real)
        self.errors["gave-up"] += 1


async def subscribe(stack: Stack, url: str) -> str:
    """A partner webhook (operator-owned, so it sees submissions) for AchievementSubmitted."""
    async with httpx.AsyncClient(base_url=stack.url, timeout=10, headers=OPERATOR) as c:
        r = await c.post("/api/v1/webhooks", json={"url": url, "event_types": [SUBMITTED]})
        assert r.status_code == 201, r.text
        return r.json()["subscription_id"]


def _partner(receiver) -> dict[str, set[str]]:
    """achievement id → the distinct event ids the partner accepted for its submission."""
    got: dict[str, set[str]] = {}
    for event in (receiver.accepted() if receiver else []):
        if event.get("type") == SUBMITTED:
            got.setdefault(event["subject"], set()).add(event["id"])
    return got


async def verify(stack: Stack, writers: Writers, receiver=None, timeout: float = 90) -> dict:
    """Wait until every acknowledged write is in the registry, its submission in the feed and
    at the partner; returns lost / duplicated counts and the time it took. A partner may get
    one event twice (at-least-once; it dedupes by id): two different events are a duplicate."""
    registry, gateway = stack.mongo("registry"), stack.mongo("gateway")
    started = time.monotonic()
    while True:
        titles = Counter([d["title"] async for d in registry["achievements"].find(
            {"title": {"$regex": "^fault-"}}, {"title": 1})])
        submitted = Counter([d["key"] async for d in gateway["feed"].find(
            {"type": "bth.registry.v1.AchievementSubmitted"}, {"key": 1})])
        partner = _partner(receiver)
        lost = [t for t, i in writers.acknowledged.items() if titles[t] == 0 or submitted[i] == 0]
        partner_lost = [i for i in writers.acknowledged.values() if receiver and i not in partner]
        if not lost and not partner_lost or time.monotonic() - started > timeout:
            break
        await asyncio.sleep(0.5)
    unhealthy = await settled(stack)
    return {"acknowledged": len(writers.acknowledged), "lost": len(lost), "unhealthy": unhealthy,
            "duplicated": sum(1 for t in writers.acknowledged if titles[t] > 1)
            + sum(1 for i in writers.acknowledged.values() if submitted[i] > 1),
            "partner_lost": len(partner_lost),
            "partner_duplicated": sum(1 for i in writers.acknowledged.values() if len(partner.get(i, ())) > 1),
            "converged_s": round(time.monotonic() - started, 1), "client_errors": dict(writers.errors),
            "lost_sample": [{"id": writers.acknowledged[t], "in_registry": titles[t],
                             "in_feed": submitted[writers.acknowledged[t]]} for t in lost[:3]]}



async def settled(stack: Stack, timeout: float = 60) -> list[str]:
    """Wait until every process is ready again (its /readyz), every consumer group has read
    everything (bth_consumer_lag 0) and every outbox is drained; returns what is still not so."""
    from prometheus_client.parser import text_string_to_metric_families

    urls = {"gateway": f"{stack.url}/readyz"} | {
        name: f"http://127.0.0.1:{stack.ports[f'metrics-{name}']}" for name in stack.processes}
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=5) as c:
        while True:
            problems = []
            for name, url in urls.items():
                try:
                    ready = await c.get(url if name == "gateway" else f"{url}/readyz")
                    if ready.status_code != 200:
                        problems.append(f"{name} not ready")
                    if name == "gateway":
                        continue
                    text = (await c.get(f"{url}/metrics")).text
                except httpx.HTTPError as exc:
                    problems.append(f"{name}: {type(exc).__name__}")
                    continue
                for family in text_string_to_metric_families(text):
                    for sample in family.samples:
                        if sample.name in ("bth_consumer_lag", "bth_outbox_oldest_pending_age_seconds") \
                                and sample.value > 0:
                            problems.append(f"{name} {sample.name}{sample.labels}={sample.value:g}")
            if not problems or time.monotonic() > deadline:
                return problems
            await asyncio.sleep(0.5)
