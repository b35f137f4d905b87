"""A real `make run` (`python -m services.devrun`) in a temporary DEV_DATA_DIR on free ports,
with its living demo (services/demo), for tests that need the platform as a person finds it.

`living_demo` is session-scoped: another test module reuses the running instance with
`from tests.support.living_demo import living_demo  # noqa: F401`. Its `first_look` holds what
the platform showed right after the first start (observe()), before any test moved the clock
or added data; `restart()` stops the whole instance (Ctrl-C's path) and starts it on the same data."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from services import devports
from services.demo import data
from services.gateway.seed import dev_password

ROOT = Path(__file__).parents[2]
START_SECONDS = 300


class LivingDemo:
    def __init__(self, directory: Path):
        self.directory = directory
        self.ports = {var: str(devports.any_free()) for var, _ in devports.PORTS.values()}
        self.url = f"http://127.0.0.1:{self.ports['DEV_HTTP_PORT']}"
        self.proc: subprocess.Popen | None = None
        self.starts = 0
        self.first_look: dict = {}

    def start(self) -> str:
        """Start and wait for the demo's line; returns it ("Demo data: ...")."""
        self.starts += 1
        out = self.directory / f"run-{self.starts}.out"
        env = {k: v for k, v in os.environ.items() if k not in ("DEV_DEMO_DATA", "DEV_CLOCK_FILE")}
        self.proc = subprocess.Popen([sys.executable, "-m", "services.devrun"], cwd=ROOT,
                                     env=env | self.ports | {"DEV_DATA_DIR": str(self.directory / "data")},
                                     stdout=out.open("wb"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_SECONDS
        while "Demo data:" not in (text := out.read_text(errors="replace")):
            assert self.proc.poll() is None and time.monotonic() < deadline, text
            time.sleep(0.5)
        while httpx.get(f"{self.url}/readyz", timeout=10).status_code != 200:
            assert self.proc.poll() is None and time.monotonic() < deadline, out.read_text(errors="replace")
            time.sleep(0.5)
        return next(line for line in text.splitlines() if line.startswith("Demo data:"))

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)   # what Ctrl-C sends
            self.proc.wait(120)

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
