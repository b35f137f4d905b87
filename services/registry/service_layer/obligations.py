"""Fiscal obligation handlers: operators register funded projects; a project whose end date
has passed (per the clock) without a REGISTERED achievement carrying its project code and a
filed technology report (collection `tech_reports`, by project_code or by an achievement of the
project) is overdue: listed, and ObligationOverdue raised once (worker timer / operator RPC)."""



from services.common.errors import Conflict, Forbidden
from services.common.mongo import with_retry
from services.registry.domain import annual_commands as c
from services.registry.domain import obligation
from services.registry.domain.annual_report import CHINA
from services.registry.service_layer.deps import Deps

COUNTS_TECHNOLOGY_REPORTS = True


async def register_funded_project(cmd: c.RegisterFundedProject, deps: Deps) -> obligation.FundedProject:
    p = obligation.register(cmd.actor, deps.clock.now(), project_code=cmd.project_code, fiscal_plan=cmd.fiscal_plan,
                            holder=cmd.holder, end_date=cmd.end_date, title=cmd.title)
    async with deps.uow() as uow:
        await deps.funded_projects(uow).add(p, "project_code")
        await uow.commit()
    return p


def _may_read(actor, holder: str) -> bool:
    return actor.has("operator", "system", "supervisor") or actor.organisation == holder


async def get_funded_project(cmd: c.GetFundedProject, deps: Deps) -> obligation.FundedProject:
    async with deps.uow() as uow:
        p = await deps.funded_projects(uow).get(cmd.project_code)
    if not _may_read(cmd.actor, p.holder):
        raise Forbidden("only the holder, supervisors and operators read a funded project", "project_code")
    return p


async def _owed(db, code: str) -> list[str]:
    achievements = await db["achievements"].find(
        {"funding.project_code": code, "status": "REGISTERED"}, {"_id": 1}).to_list()
    ids = [a["_id"] for a in achievements]
    report = await db["tech_reports"].find_one(
        {"$or": [{"project_code": code}, {"achievement_id": {"$in": ids or ["-"]}}]}, {"_id": 1})
    return obligation.missing_outputs(bool(ids), report is not None if COUNTS_TECHNOLOGY_REPORTS else None)


async def _ended(deps: Deps, query: dict) -> list[dict]:
    today = deps.clock.now().astimezone(CHINA).date()
    query = {**query, "end_date": {"$lt": today.isoformat()}}
    return await deps.uow().db["funded_projects"].find(query).sort("_id", 1).to_list()


async def list_overdue_obligations(cmd: c.ListOverdueObligations, deps: Deps) -> dict:
    holder = cmd.holder
    if not cmd.actor.has("operator", "system", "supervisor"):
        holder = cmd.actor.organisation
        if not holder:
            raise Forbidden("only holders, supervisors and operators list obligations", "actor")
    db = deps.uow().db
    items = []
    for doc in await _ended(deps, {"holder": holder} if holder else {}):
        owed = await _owed(db, doc["_id"])
        if owed:
            async with deps.uow() as uow:
                items.append({"project": await deps.funded_projects(uow).get(doc["_id"]), "missing": owed})
    return {"items": items, "counts_technology_reports": COUNTS_TECHNOLOGY_REPORTS}


async def check_obligations(cmd: c.CheckObligations, deps: Deps) -> list[str]:
    if not cmd.actor.has("operator", "system"):
        raise Forbidden("only an operator may check obligations", "actor")
    flagged = []
    for doc in await _ended(deps, {"overdue": False}):
        owed = await _owed(deps.uow().db, doc["_id"])
        if owed and await with_retry(lambda d=doc, o=owed: _flag(deps, d["_id"], o)):
            flagged.append(doc["_id"])
    return flagged


async def _flag(deps: Deps, code: str, owed: list[str]) -> bool:
    async with deps.uow() as uow:
        repo = deps.funded_projects(uow)
        p = await repo.get(code)
        if not p.flag_overdue(deps.clock.now(), owed):
            return False
        try:
            await repo.save(p)
        except Conflict:
            return False
        await uow.commit()
    return True


