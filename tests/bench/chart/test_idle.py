"""Idle CPU and resident memory of every process as the chart runs it (tests/deployed/harness.py:
the chart's commands and default settings, the image's dependencies only, a broker and Mongo-wire
servers of their own), at rest after start-up and again at rest after a load through the REST API
(achievements submitted, approved and searched, demands posted, the catalog searched)."""

import asyncio
import time
import uuid

import httpx
import pytest

from tests.bench.procstat import WINDOW, cpu_seconds, rss_mb
from tests.deployed.harness import DOMAINS
from tests.deployed.test_processes import submitted_achievement
from tests.support.identity import bearer

pytestmark = pytest.mark.bench
LOAD = 60   # rounds of: submit and approve an achievement, search, post a demand, search the catalog


def _at_rest(pids: dict[str, int], window: float) -> tuple[dict, dict]:
    start = {name: cpu_seconds(pid) for name, pid in pids.items()}
    time.sleep(window)
    return ({name: 100 * (cpu_seconds(pid) - start[name]) / window for name, pid in pids.items()},
            {name: rss_mb(pid) for name, pid in pids.items()})


async def _load(url: str) -> int:
    tag = uuid.uuid4().hex[:6]
    owner = bearer(f"inst-{tag}", f"org-inst-{tag}", "BEIJING", "institution")
    operator = bearer(f"op-{tag}", "org-platform", "BEIJING", "operator")
    buyer = bearer(f"buyer-{tag}", f"org-buyer-{tag}", "TIANJIN", "buyer")
    async with httpx.AsyncClient(base_url=url + "/api/v1", timeout=30) as c:
        for i in range(LOAD):
            r = await c.post("/achievements", headers=owner, json=submitted_achievement(f"{tag}-{i}"))
            assert r.status_code == 201, r.text
            aid = r.json()["achievement_id"]
            r = await c.post(f"/achievements/{aid}/approve", json={"note": "形式审查通过"}, headers=operator)
            assert r.status_code == 200, r.text
            r = await c.get("/achievements", params={"q": "弓网 故障诊断"}, headers=owner)
            assert r.status_code == 200, r.text
            r = await c.post("/procurement/demands", headers=buyer, json={
                "need": f"采购弓网智能诊断系统 {tag}-{i}", "category": "advanced-manufacturing", "budget": "700000.00",
                "deadline": "2099-01-01T00:00:00Z", "region": "TIANJIN"})
            assert r.status_code == 201, r.text
            r = await c.get("/procurement/products", params={"q": "诊断系统"}, headers=buyer)
            assert r.status_code == 200, r.text
    return LOAD


def test_idle_cpu_and_memory_before_and_after_a_load(deployed, report):
    """First on the package's deployed platform: at rest before any request."""
    pids = {"kafka broker (Tansu)": deployed.infra[0].pid}
    pids |= {f"{d} Mongo-wire server": p.pid for d, p in zip(DOMAINS, deployed.infra[1:], strict=True)}
    pids |= {name: proc.pid for name, proc in deployed.processes.items()}
    time.sleep(5)
    rest = _at_rest(pids, WINDOW)
    started = time.perf_counter()
    rounds = asyncio.run(_load(deployed.gateway_url))
    took = time.perf_counter() - started
    time.sleep(5)
    after = _at_rest(pids, WINDOW / 2)   # half: the bench's 15 minutes
    section = (f"Idle processes (as the chart runs them; CPU over {WINDOW:.0f} s at rest, "
               f"{WINDOW / 2:.0f} s after the load)")
    loaded = f"after {rounds} rounds of load ({5 * rounds} REST calls in {took:.0f} s)"
    for name in pids:
        report.add(section, f"{name}: CPU at rest", rest[0][name], "% of a core", target="≤ 1 %",
                   met=rest[0][name] <= 1)
        report.add(section, f"{name}: CPU at rest {loaded}", after[0][name], "% of a core", target="≤ 1 %",
                   met=after[0][name] <= 1)
        report.add(section, f"{name}: resident memory at rest", rest[1][name], "MB", target="≤ 150 MB",
                   met=rest[1][name] <= 150)
        report.add(section, f"{name}: resident memory {loaded}", after[1][name], "MB", "at rest before the load",
                   rest[1][name], target="≤ 150 MB", met=after[1][name] <= 150)
