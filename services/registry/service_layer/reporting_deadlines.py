"""Deadlines of annual reports: the late / missing lists per year, and `flag_missing_reports`
(called by the worker's timer and the operator's FlagMissingReports RPC)."""

from services.common.errors import Conflict, Forbidden, require
from services.common.identity import SYSTEM
from services.common.mongo import with_retry
from services.registry.domain import annual_commands as c
from services.registry.domain import annual_report as ar
from services.registry.service_layer import obligations
from services.registry.service_layer.annual_reports import FILED
from services.registry.service_layer.deps import Deps


async def reporting_status(cmd: c.GetReportingStatus, deps: Deps) -> dict:
    """Reports of `year` in the caller's scope; `late` ones; `missing`: overseen institutions
    without a filed report once the institution deadline has passed (per the clock)."""
    if not cmd.actor.has("supervisor", "operator", "system"):
        raise Forbidden("only supervising departments and operators read reporting status", "actor")
    now = deps.clock.now()
    require(1949 <= cmd.year <= now.year, "year is required (a past or the current year)", "year")
    supervisor = cmd.supervisor if cmd.actor.has("operator", "system") else cmd.actor.organisation
    scope = {"_id": supervisor} if supervisor else {}
    inst, sup = ar.window(cmd.year, deps.report_windows)
    async with deps.uow() as uow:
        oversights = await uow.db["oversights"].find(scope).to_list()
        query = {"year": cmd.year, **({"supervisor": supervisor} if supervisor else {})}
        reports = await deps.annual_reports(uow).find(query, sort=[("report_id", 1)])
    by_org = {r.organisation: r for r in reports}
    missing = []
    if now >= ar.due_at(inst):
        for o in sorted(oversights, key=lambda d: d["_id"]):
            for org in o.get("institutions", []):
                r = by_org.get(org)
                if r is None or r.status not in FILED:
                    missing.append({"organisation": org, "supervisor": o["_id"], "flagged": r is not None})
    return {"year": cmd.year, "institution_deadline": inst, "supervisor_deadline": sup,
            "late": [r for r in reports if r.late], "missing": missing,
            "reports": [r for r in reports if r.status in FILED]}


def _cycles(now, config: dict | None) -> list[int]:
    years = {now.year - 1} | {int(y) for y in (config or {})}
    return sorted(y for y in years if y < now.year)


async def flag_missing_reports(cmd: c.FlagMissingReports, deps: Deps) -> dict:
    if not cmd.actor.has("operator", "system"):
        raise Forbidden("only an operator may check reporting deadlines", "actor")
    now = deps.clock.now()
    flagged = {"missing": [], "overdue": []}
    oversights = await deps.uow().db["oversights"].find({}, {"_id": 1, "institutions": 1}).to_list()
    for year in _cycles(now, deps.report_windows):
        inst, sup = ar.window(year, deps.report_windows)
        if now < ar.due_at(inst):
            continue
        reports = {d["organisation"]: d["status"] for d in await deps.uow().db["annual_reports"].find(
            {"year": year}, {"organisation": 1, "status": 1}).to_list()}
        for o in oversights:
            supervisor, members = o["_id"], o.get("institutions", [])
            for org in (m for m in members if m not in reports):
                if await with_retry(lambda org=org, y=year, s=supervisor: _missing(deps, org, y, s)):
                    flagged["missing"].append(ar.report_id(org, year))
                    reports[org] = "MISSING"
            pending = [org for org in members if reports.get(org) != "APPROVED"]
            if now >= ar.due_at(sup) and pending and await with_retry(
                    lambda p=pending, y=year, s=supervisor: _overdue(deps, s, y, p)):
                flagged["overdue"].append(f"{supervisor}:{year}")
    return flagged


async def _missing(deps: Deps, org: str, year: int, supervisor: str) -> bool:
    async with deps.uow() as uow:
        try:
            await deps.annual_reports(uow).add(ar.missing(org, year, supervisor, deps.clock.now(),
                                                          deps.report_windows))
        except Conflict:          # filed (or flagged) meanwhile
            return False
        await uow.commit()
    return True


async def _overdue(deps: Deps, supervisor: str, year: int, pending: list[str]) -> bool:
    async with deps.uow() as uow:
        repo = deps.oversights(uow)
        o = await repo.get(supervisor)
        if not o.flag_overdue(year, pending):
            return False
        try:
            await repo.save(o)
        except Conflict:          # changed meanwhile; the next tick looks again
            return False
        await uow.commit()
    return True



async def flag_deadlines(deps: Deps) -> dict:
    """The worker timer's entry: missing / overdue annual reports, then overdue obligations."""
    flagged = await flag_missing_reports(c.FlagMissingReports(SYSTEM), deps)
    flagged["obligations"] = await obligations.check_obligations(c.CheckObligations(SYSTEM), deps)
    return flagged
