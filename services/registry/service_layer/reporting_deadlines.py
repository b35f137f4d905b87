"""Deadlines of annual reports `(cmd, uow, deps)`: the late / missing lists per year, and the
FlagMissingReports sweep (worker timer and operator RPC): AnnualReportMissing once per
institution/year after the institution deadline, AnnualReportFilingOverdue once per
supervisor/year after the supervisor deadline. Its ids are ("missing", organisation, year)
and ("overdue", supervisor, year); `flagged(ids)` is the reply's shape."""

from services.common.errors import Forbidden, NotFound, require
from services.registry.domain import annual_commands as c
from services.registry.domain import annual_report as ar
from services.registry.service_layer.annual_reports import FILED
from services.registry.service_layer.deps import Deps


async def reporting_status(cmd: c.GetReportingStatus, uow, deps: Deps) -> dict:
    """Reports of `year` in the caller's scope; `late` ones; `missing`: overseen institutions
    without a filed report once the institution deadline has passed (per the clock)."""
    if not cmd.actor.has("supervisor", "operator", "system"):
        raise Forbidden("only supervising departments and operators read reporting status", "actor")
    now = deps.clock.now()
    require(1949 <= cmd.year <= now.year, "year is required (a past or the current year)", "year")
    supervisor = cmd.supervisor if cmd.actor.has("operator", "system") else cmd.actor.organisation
    inst, sup = ar.window(cmd.year, deps.report_windows)
    oversights = await uow.oversights.in_scope(supervisor)
    reports = await uow.annual_reports.of_year(cmd.year, supervisor)
    by_org = {r.organisation: r for r in reports}
    missing = []
    if now >= ar.due_at(inst):
        for o in oversights:
            for org in o.institutions:
                r = by_org.get(org)
                if r is None or r.status not in FILED:
                    missing.append({"organisation": org, "supervisor": o.supervisor, "flagged": r is not None})
    return {"year": cmd.year, "institution_deadline": inst, "supervisor_deadline": sup,
            "late": [r for r in reports if r.late], "missing": missing,
            "reports": [r for r in reports if r.status in FILED]}


def _cycles(now, config: dict | None) -> list[int]:
    years = {now.year - 1} | {int(y) for y in (config or {})}
    return sorted(y for y in years if y < now.year)


async def deadlines_due(cmd: c.FlagMissingReports, uow, deps: Deps) -> list[tuple]:
    if not cmd.actor.has("operator", "system"):
        raise Forbidden("only an operator may check reporting deadlines", "actor")
    now, due = deps.clock.now(), []
    oversights = await uow.oversights.in_scope()
    for year in _cycles(now, deps.report_windows):
        inst, sup = ar.window(year, deps.report_windows)
        if now < ar.due_at(inst):
            continue
        statuses = await uow.annual_reports.statuses(year)
        for o in oversights:
            due += [("missing", org, year) for org in o.institutions if org not in statuses]
            pending = [org for org in o.institutions if statuses.get(org) != "APPROVED"]
            if now >= ar.due_at(sup) and pending and year not in o.overdue_years:
                due.append(("overdue", o.supervisor, year))
    return list(dict.fromkeys(due))


async def flag_deadline(cmd: c.FlagMissingReports, due: tuple, uow, deps: Deps) -> bool:
    kind, key, year = due
    return await (_flag_missing(uow, deps, key, year) if kind == "missing" else _flag_overdue(uow, key, year))


async def _flag_missing(uow, deps: Deps, org: str, year: int) -> bool:
    try:
        await uow.annual_reports.get(ar.report_id(org, year))
        return False                   # filed (or flagged) meanwhile
    except NotFound:
        pass
    overseers = await uow.oversights.overseers_of(org)
    if not overseers:                  # released meanwhile
        return False
    await uow.annual_reports.add(ar.missing(org, year, overseers[0], deps.clock.now(), deps.report_windows))
    return True


async def _flag_overdue(uow, supervisor: str, year: int) -> bool:
    o = await uow.oversights.get(supervisor)
    statuses = await uow.annual_reports.statuses(year)
    if not o.flag_overdue(year, [org for org in o.institutions if statuses.get(org) != "APPROVED"]):
        return False
    await uow.oversights.save(o)
    return True


def flagged(ids: list[tuple]) -> dict:
    """The sweep's changed ids as {"missing": [report ids], "overdue": ["supervisor:year"]}."""
    return {"missing": [ar.report_id(key, year) for kind, key, year in ids if kind == "missing"],
            "overdue": [f"{key}:{year}" for kind, key, year in ids if kind == "overdue"]}
