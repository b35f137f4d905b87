"""Session fixtures: a real Tansu broker and a real mongoeco server on free ports, and the
whole platform (registry, procurement, incubation in-process on real gRPC ports; the
gateway on real HTTP) with a controllable clock. Torn down at the end."""

import asyncio

import httpx
import pytest
from hypothesis import HealthCheck, settings

from services import devinfra
from services.common import logs
from services.common.clock import ManualClock
from services.common.settings import KafkaSettings, MongoSettings
from tests.support.identity import INSTITUTION

logs.configure("tests", "WARNING", "console")
# How long generating or running an example takes depends on the machine's load, not on the code:
# a loaded machine failed a property with "Input generation is slow". A failing example still fails.
settings.register_profile("platform", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("platform")

UNIT, E2E = {"unit"}, {"e2e", "gateway", "platform"}


def pytest_collection_modifyitems(items) -> None:
    """Markers by directory: tests/unit → unit, tests/{e2e,gateway,platform} → e2e, the
    rest → integration (`pytest -m unit` runs the unit tests alone)."""
    for item in items:
        parts = item.path.parts
        top = parts[parts.index("tests") + 1] if "tests" in parts else ""
        item.add_marker("unit" if top in UNIT else "e2e" if top in E2E else "integration")


@pytest.fixture(scope="session")
def infra():
    """One broker; one Mongo-wire server per service (as in production, a database each)
    plus one for the gateway and the building-block tests."""
    kafka_port = devinfra.free_port()
    kafka = devinfra.start_kafka(kafka_port)
    mongos = {name: devinfra.free_port() for name in ("gateway", "registry", "procurement", "incubation")}
    procs = [devinfra.start_mongo(port) for port in mongos.values()]
    uris = {name: f"mongodb://127.0.0.1:{port}/?directConnection=true" for name, port in mongos.items()}
    yield {"kafka": f"127.0.0.1:{kafka_port}", "mongo": uris["gateway"], "mongo_by_service": uris}
    devinfra.stop(kafka)
    for proc in procs:
        devinfra.stop(proc)


@pytest.fixture(scope="module")
def own_mongo():
    """A Mongo-wire server (memory engine) for one test module alone: no other test's commits
    conflict with its transactions, and no platform polls it (the shared server slows a
    thousand-write test tenfold late in the suite)."""
    port = devinfra.free_port()
    proc = devinfra.start_mongo(port)
    yield f"mongodb://127.0.0.1:{port}/?directConnection=true"
    devinfra.stop(proc)


@pytest.fixture(scope="session")
def kafka_settings(infra) -> KafkaSettings:
    return KafkaSettings(bootstrap_servers=infra["kafka"])


@pytest.fixture(scope="session")
def mongo_settings(infra) -> MongoSettings:
    return MongoSettings(uri=infra["mongo"])


@pytest.fixture(scope="session")
async def platform(infra):
    from tests.support.platform import Platform  # imported lazily: unit tests never load the platform

    clock = ManualClock()
    p = Platform(infra["kafka"], infra["mongo_by_service"], clock)
    await p.start()
    yield p
    await p.stop()


@pytest.fixture(scope="session")
async def api(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10, headers=INSTITUTION) as client:
        yield client


async def eventually(check, timeout: float = 10.0, interval: float = 0.05):
    """Poll an async check until it returns a truthy value; fail with its last value."""
    deadline = asyncio.get_running_loop().time() + timeout
    last = None
    while asyncio.get_running_loop().time() < deadline:
        last = await check()
        if last:
            return last
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s (last: {last!r})")
