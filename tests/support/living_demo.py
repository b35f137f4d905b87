"""A real `make run` (`python -m services.devrun`) in a temporary DEV_DATA_DIR on free ports,
with its living demo (services/demo), for tests that need the platform as a person finds it.

`living_demo` is session-scoped: another test module reuses the running instance with
`from tests.support.living_demo import living_demo  # noqa: F401`. Its `first_look` holds what
the platform showed right after the first start (observe()), before any test moved the clock
or added data; `restart()` stops the whole instance (Ctrl-C's path) and starts it on the same data."""

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from services.demo import data
from services.gateway.seed import dev_password
from tests.support import makerun

START_SECONDS = 300   # the platform, then the demo's seeding (about 40 s alone)


class LivingDemo:
    def __init__(self, directory: Path):
        self.data = directory / "data"
        self.instance: makerun.Instance | None = None
        self.first_line = ""
        self.first_look: dict = {}

    @property
    def url(self) -> str:
        return self.instance.url

    @property
    def ports(self) -> dict[str, int]:
        return self.instance.ports

    def start(self) -> str:
        """Start (on the same data when restarted) and return the demo's line ("Demo data: ...")."""
        self.instance = makerun.start(self.data, {"DEV_DEMO_DATA": "on"}, timeout=START_SECONDS)
        deadline = time.monotonic() + 60
        while not self._ready():
            assert time.monotonic() < deadline, self.instance.output()[-3000:]
            time.sleep(0.2)
        return [line for line in self.instance.output().splitlines() if line.startswith("Demo data:")][-1]

    def _ready(self) -> bool:
        """Every service SERVING (the gateway's /readyz)."""
        try:
            return httpx.get(f"{self.url}/readyz", timeout=10).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.instance:
            makerun.stop(self.instance)

    def restart(self) -> str:
        self.stop()
        return self.start()

    def token(self, username: str) -> dict[str, str]:
        r = httpx.post(f"{self.url}/api/v1/oauth/token", data={
            "grant_type": "password", "username": username, "password": dev_password(username)}, timeout=30)
        assert r.status_code == 200, r.text
        return {"Authorization": f"Bearer {r.json()['access_token']}"}


def ranking_year() -> int:
    """The year the demo stations report on: the year before the demo's first phase."""
    return (datetime.now(UTC) - timedelta(days=data.DAYS_BACK)).year - 1


def _all(c: httpx.Client, path: str, **params) -> list[dict]:
    items, cursor = [], ""
    while True:
        r = c.get(path, params={**params, "page_size": 200, **({"cursor": cursor} if cursor else {})})
        assert r.status_code == 200, r.text
        items += r.json()["items"]
        if not (cursor := r.json().get("next_cursor", "")):
            return items


def observe(demo: LivingDemo) -> dict:
    """What the platform shows of the demo data (as the operator)."""
    organisations = set(data.ORGANISATIONS.values())
    with httpx.Client(base_url=demo.url, headers=demo.token("demo-operator"), timeout=30) as api:
        registered = [hit["achievement"] for hit in _all(api, "/api/v1/achievements", status="REGISTERED")
                      if hit["achievement"]["organisation"] in organisations]
        products = _all(api, "/api/v1/procurement/products")
        cases = _all(api, "/api/v1/incubation/cases")
        overdue = _all(api, "/api/v1/incubation/cases", overdue="true")
        trading = api.get("/api/v1/trading-map").json()
        ranking = api.get("/api/v1/incubation/stations/ranking", params={"year": ranking_year()}).json()
        return {"registered_by_region": {r: sum(1 for a in registered if a["region"] == r)
                                         for r in ("BEIJING", "TIANJIN", "HEBEI")},
                "catalog": sorted(p["name"] for p in products),
                "first_set": sorted(p["name"] for p in products if p.get("is_first_set")),
                "trading_map": {"count": trading["count"], "routes": len(trading["routes"])},
                "ranking": [e["name"] for e in ranking.get("entries", [])],
                "case_stages": sorted(c["stage"] for c in cases),
                "overdue": sorted(c["achievement_title"] for c in overdue)}


@pytest.fixture(scope="session")
def living_demo(tmp_path_factory):
    demo = LivingDemo(tmp_path_factory.mktemp("living-demo"))
    try:
        demo.first_line = demo.start()
        demo.first_look = observe(demo)
        yield demo
    finally:
        demo.stop()
