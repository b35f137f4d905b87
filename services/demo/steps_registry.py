"""Registry steps of the living demo: fiscal projects, achievements through review and notice,
objections, technology reports, packages, transformations and contracts (data.py holds what)."""

from datetime import timedelta

from services.demo import data

OPERATOR = "demo-operator"
LATE = {"IN_NOTICE", "SUBMITTED"}   # the achievements still waiting at the end: created in phase "recent"


async def funded_projects(api, ids: dict) -> None:
    today = await api.today()
    for project, ends_after in data.FUNDED_PROJECTS:
        end = (today + timedelta(days=ends_after)).isoformat()
        await api.post(OPERATOR, "/api/v1/funded-projects", {**project, "end_date": end})


async def achievements(api, ids: dict, late: bool) -> None:
    """Draft and submit (one call each), then the operator approves into the 30-day notice."""
    for key, region, status, body in data.ACHIEVEMENTS:
        if (status in LATE) != late:
            continue
        made = await api.post(data.INSTITUTIONS[region], "/api/v1/achievements", body)
        ids[key] = made["achievement_id"]
        if status != "SUBMITTED":
            await api.post(OPERATOR, f"/api/v1/achievements/{ids[key]}/approve", {"note": "材料齐全，予以公示"})


async def registered(api, ids: dict) -> None:
    """After the notice period: wait until the registry has concluded every notice due."""
    due = [ids[key] for key, _, status, _ in data.ACHIEVEMENTS if status == "REGISTERED"]

    async def concluded() -> bool:
        for achievement_id in due:
            if (await api.get(OPERATOR, f"/api/v1/achievements/{achievement_id}"))["status"] != "REGISTERED":
                return False
        return True
    await api.until(concluded, "concluding the notices")


async def objection(api, ids: dict) -> None:
    key, who, reason = data.OBJECTION
    await api.post(who, f"/api/v1/achievements/{ids[key]}/objections", {"reason": reason})


async def tech_reports(api, ids: dict) -> None:
    holders = {key: data.INSTITUTIONS[region] for key, region, *_ in data.ACHIEVEMENTS}
    for key, sharing, title, summary, project in data.TECH_REPORTS:
        made = await api.post(holders[key], "/api/v1/tech-reports", {
            "title": title, "summary": summary, "sharing": sharing, "achievement_id": ids[key],
            "project_code": project, "content": f"{title}：{summary}。本报告为演示数据。"})
        ids[f"report:{key}"] = made["report_id"]
    key, who, reason = data.ACCESS_REQUEST
    await api.post(who, f"/api/v1/tech-reports/{ids[f'report:{key}']}/access-requests", {"reason": reason})


async def packages(api, ids: dict) -> None:
    for field, title, description, members in data.PACKAGES:
        made = await api.post(OPERATOR, "/api/v1/packages", {"field": field, "title": title,
                                                              "description": description})
        await api.post(OPERATOR, f"/api/v1/packages/{made['package_id']}/versions",
                       {"achievement_ids": [ids[k] for k in members], "note": "第一版"})


async def transformations(api, ids: dict) -> None:
    holders = {key: data.INSTITUTIONS[region] for key, region, *_ in data.ACHIEVEMENTS}
    today = (await api.today()).isoformat()
    for key, deal in data.TRANSFORMATIONS:
        await api.post(holders[key], f"/api/v1/achievements/{ids[key]}/transformations", {**deal, "date": today})


async def contracts(api, ids: dict, phase: str) -> None:
    """The seller's institution files; the registrar (operator) registers within the 7-day limit."""
    for when, region, register, type_, title, buyer, amount, field, cites in data.CONTRACTS:
        if when != phase:
            continue
        organisation, name, buyer_region = buyer
        made = await api.post(data.INSTITUTIONS[region], "/api/v1/contracts", {
            "type": type_, "title": title, "amount": amount, "field": field,
            "buyer": {"organisation": organisation, "name": name, "region": buyer_region},
            "achievement_ids": [ids[k] for k in cites]})
        if register:
            await api.post(OPERATOR, f"/api/v1/contracts/{made['contract_id']}/register",
                           {"note": "合同要素齐全，予以登记"})
