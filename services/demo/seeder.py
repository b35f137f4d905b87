"""The living demo for `make run` (development only: services/devrun.py runs it, nothing else
does): the data set of data.py, created through the REST API as the demo accounts, phase by
phase with the development clock moved forward in between, so it ends near real time.

On a fresh data directory devrun sets the platform clock DAYS_BACK days back before any
service starts (start_in_the_past); seed() then walks the phases. A marker document in the
gateway's database (collection dev_demo) records that the demo was seeded: a restart finds it
and creates nothing. DEV_DEMO_DATA=off turns the demo off."""

import time
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import httpx

from services.common import dev_clock
from services.demo import data
from services.demo import steps_incubation as incubation
from services.demo import steps_market as market
from services.demo import steps_registry as registry
from services.demo.client import Api, SeedingFailed

SETTING = "DEV_DEMO_DATA"
MARKER = {"_id": "living-demo"}
DATABASES = ("gateway", "registry", "procurement", "incubation")
PHASES = {  # phase → steps (in order); the clock moves data.STEPS days between phases
    "past": [registry.funded_projects, partial(registry.achievements, late=False), registry.tech_reports,
             partial(registry.contracts, phase="past"), incubation.stations, incubation.incubators],
    "registered": [registry.registered, registry.packages, registry.transformations,
                   partial(registry.contracts, phase="registered"), market.products, market.awarded_demand,
                   partial(incubation.cases, phase="registered")],
    "recent": [partial(registry.achievements, late=True), registry.objection,
               partial(registry.contracts, phase="recent")],
    "today": [partial(registry.contracts, phase="today"), market.open_demand,
              partial(incubation.cases, phase="today")],
}


def enabled(environ) -> bool:
    return environ.get(SETTING, "on").strip().lower() not in ("off", "false", "0", "no")


def fresh(data_dir: Path) -> bool:
    """No service has run on this data directory yet (so the clock may still be set back)."""
    return not any((data_dir / f"{name}.sqlite").exists() for name in DATABASES)


def start_in_the_past(clock_file: str | Path) -> None:
    dev_clock.write_offset(clock_file, -timedelta(days=data.DAYS_BACK))


async def seed(url: str, db, is_fresh: bool) -> str:
    """Seed once; returns the one line devrun prints. `db`: the gateway's database."""
    marker = await db["dev_demo"].find_one(MARKER)
    if marker and marker.get("state") == "done":
        return f"Demo data: present (seeded {marker['finished_at']:%Y-%m-%d %H:%M} UTC); nothing created"
    if marker:
        return ("Demo data: INCOMPLETE (an earlier seeding was interrupted); for a fresh demo stop, remove "
                "DEV_DATA_DIR and run again")
    if not is_fresh:
        return "Demo data: not seeded (this DEV_DATA_DIR has data from before the demo; use a fresh one)"
    await db["dev_demo"].insert_one({**MARKER, "state": "seeding", "started_at": datetime.now(UTC)})
    started, api, ids, seconds = time.monotonic(), Api(url), {}, {}
    try:
        await api.ready()
        for number, (phase, steps) in enumerate(PHASES.items()):
            begun = time.monotonic()
            if number:
                await api.advance(data.STEPS[number - 1])
            for step in steps:
                await step(api, ids)
            seconds[phase] = round(time.monotonic() - begun, 1)
        await _settled(api)
    except (SeedingFailed, httpx.HTTPError) as exc:
        return f"Demo data: FAILED ({type(exc).__name__}: {exc}); see DEV_DATA_DIR/logs/"
    finally:
        await api.close()
    counts = summary()
    await db["dev_demo"].update_one(MARKER, {"$set": {"state": "done", "finished_at": datetime.now(UTC),
                                                      "counts": counts, "calls": api.calls,
                                                      "seconds": seconds}})
    return (f"Demo data: seeded {', '.join(f'{n} {what}' for what, n in counts.items())} "
            f"through {api.calls} API calls in {time.monotonic() - started:.0f}s (docs/demo.md)")


def summary() -> dict[str, int]:
    return {"achievements": len(data.ACHIEVEMENTS), "contracts": len(data.CONTRACTS), "products": len(data.PRODUCTS),
            "stations": len(data.STATIONS), "incubators": len(data.INCUBATORS), "cases": len(data.CASES)}


async def _settled(api) -> None:
    """The trading map is kept by a stream worker: wait until it shows every registered contract."""
    expected = sum(1 for c in data.CONTRACTS if c[2])

    async def mapped() -> bool:
        return (await api.get("demo-operator", "/api/v1/trading-map"))["count"] >= expected
    await api.until(mapped, f"the trading map showing {expected} contracts")
