"""A landed green-channel case reaches the registry's technology trading map (through the
CaseLanded event on bth.incubation.case.v1): the BEIJING → HEBEI flow of its field grows by
exactly one deal and the landed amount. A missing `GET /api/v1/trading-map` route fails the test."""

from decimal import Decimal

import httpx

from tests.conftest import eventually
from tests.incubation.support import registered_achievement, uid
from tests.incubation.test_rest import BASE, OPERATOR, active_station, ok, org_of, person

FIELD = "food-safety"


def flow(trading_map: dict, field: str = FIELD) -> tuple[int, Decimal]:
    rows = [f for f in trading_map.get("flows", []) if (f.get("from_region"), f.get("to_region"), f.get("field"))
            == ("BEIJING", "HEBEI", field)]
    return sum(int(f.get("count", 0)) for f in rows), sum((Decimal(f.get("amount") or "0") for f in rows),
                                                           Decimal("0"))


async def test_landing_reaches_the_registry_trading_map(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=15) as rest:
        probe = await rest.get("/api/v1/trading-map", headers=OPERATOR, params={"field": FIELD})
        assert probe.status_code == 200, f"GET /api/v1/trading-map: {probe.status_code} {probe.text}"
        before = flow(probe.json())

        station_id, station = await active_station(rest, region="HEBEI")
        holder, receiver = person("BEIJING", "institution"), person("HEBEI", "enterprise")
        achievement_id = await registered_achievement(platform, org_of(holder), "BEIJING", field=FIELD)
        case = ok(await rest.post(f"{BASE}/cases", headers=holder, json={
            "achievement_id": achievement_id, "station_id": station_id, "transfer_mode": "transfer",
            "services": ["technology_trading"], "receiver": {"organisation": org_of(receiver),
                                                             "name": f"冀企 {uid()}", "region": "HEBEI",
                                                             "kind": "ENTERPRISE"}}), 201)
        for action in ("accept", "review", "approve"):
            ok(await rest.post(f"{BASE}/cases/{case['case_id']}/{action}", headers=station, json={}))
        ok(await rest.post(f"{BASE}/cases/{case['case_id']}/land", headers=receiver, json={"amount": "880000.00"}))

        async def grown():
            now = flow(ok(await rest.get("/api/v1/trading-map", headers=OPERATOR, params={"field": FIELD})))
            return now == (before[0] + 1, before[1] + Decimal("880000.00"))
        await eventually(grown, timeout=10)
