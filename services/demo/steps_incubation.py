"""Incubation steps of the living demo: cooperation stations (approved, with their yearly
reports), incubators with enterprises, and green-channel cases walked to each stage."""

from services.demo import data

OPERATOR = "demo-operator"
BASE = "/api/v1/incubation"


async def stations(api, ids: dict) -> None:
    year = (await api.today()).year - 1
    for key, applicant, body, approve, report in data.STATIONS:
        made = await api.post(applicant, f"{BASE}/stations", body)
        ids[key] = made["station_id"]
        ids[f"host:{key}"] = applicant
        if approve:
            await api.post(OPERATOR, f"{BASE}/stations/{ids[key]}/approve", {"note": "条件具备，同意设站"})
        if report:
            await api.post(applicant, f"{BASE}/stations/{ids[key]}/reports", {**report, "year": year})


async def incubators(api, ids: dict) -> None:
    sponsor = data.INSTITUTIONS["BEIJING"]
    for body, enterprises in data.INCUBATORS:
        incubator = (await api.post(sponsor, f"{BASE}/incubators", body))["incubator_id"]
        for name, enterprise_id, graduated in enterprises:
            await api.post(sponsor, f"{BASE}/incubators/{incubator}/enterprises",
                           {"name": name, "enterprise_id": enterprise_id})
            if graduated:
                await api.post(sponsor, f"{BASE}/incubators/{incubator}/enterprises/{enterprise_id}/graduate")


async def cases(api, ids: dict, phase: str) -> None:
    """The holder's institution submits; the handling station moves the case on (a party withdraws)."""
    regions = {key: region for key, region, *_ in data.ACHIEVEMENTS}
    for key, achievement, station, receiver, mode, when, moves in data.CASES:
        if when != phase:
            continue
        holder = data.INSTITUTIONS[regions[achievement]]
        organisation, name, region = receiver
        made = await api.post(holder, f"{BASE}/cases", {
            "achievement_id": ids[achievement], "station_id": ids[station], "transfer_mode": mode,
            "receiver": {"organisation": organisation, "name": name, "region": region, "kind": "ENTERPRISE"},
            "services": ["technology_trading", "consulting"], "note": f"绿色通道：{name}"})
        case = made["case_id"]
        for move in moves:
            who = holder if move == "withdraw" else ids[f"host:{station}"]
            body = {"amount": data.LANDED_AMOUNT[key], "note": "合同已签订，首期款到账"} if move == "land" \
                else {"note": "演示数据"}
            await api.post(who, f"{BASE}/cases/{case}/{move}", body)
