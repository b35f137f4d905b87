"""Annual report handlers `(cmd, uow, deps)`: oversight lists (supervisors), filing
(institutions), approve / return (supervisors). The late / missing lists and the deadline
sweep live in reporting_deadlines.py."""

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, require
from services.registry.domain import annual_commands as c
from services.registry.domain import annual_report as ar
from services.registry.domain.oversight import Oversight
from services.registry.service_layer.deps import Deps

FILED = ("FILED", "RETURNED", "APPROVED")


def _supervisor_of(cmd, action: str) -> str:
    if not cmd.actor.has("supervisor", "operator"):
        raise Forbidden(f"only a supervising department may {action}", "actor")
    supervisor = cmd.supervisor if cmd.actor.has("operator") else cmd.supervisor or cmd.actor.organisation
    require(bool(supervisor), "the supervising department is required", "supervisor")
    if not cmd.actor.has("operator") and supervisor != cmd.actor.organisation:
        raise Forbidden("a supervising department edits its own list", "supervisor")
    return supervisor


async def _oversight(uow, supervisor: str) -> tuple[Oversight, bool]:
    """The supervisor's list and whether it is new (an empty list is not stored)."""
    try:
        return await uow.oversights.get(supervisor), False
    except NotFound:
        return Oversight(supervisor=supervisor), True


async def oversee_institution(cmd: c.OverseeInstitution, uow, deps: Deps) -> Oversight:
    supervisor = _supervisor_of(cmd, "edit an oversight list")
    o, new = await _oversight(uow, supervisor)
    others = [s for s in await uow.oversights.overseers_of(cmd.organisation) if s != supervisor]
    if others:
        raise Conflict(f"{cmd.organisation} is overseen by {others[0]} already", "organisation")
    o.add(cmd.actor, cmd.organisation, deps.clock.now())
    await (uow.oversights.add(o) if new else uow.oversights.save(o))
    return o


async def release_institution(cmd: c.ReleaseInstitution, uow, deps: Deps) -> Oversight:
    o, _ = await _oversight(uow, _supervisor_of(cmd, "edit an oversight list"))
    o.remove(cmd.actor, cmd.organisation, deps.clock.now())   # NotFound for a list that was never stored
    await uow.oversights.save(o)
    return o


async def get_oversight(cmd: c.GetOversight, uow, deps: Deps) -> Oversight:
    o, _ = await _oversight(uow, _supervisor_of(cmd, "read an oversight list"))
    return o


async def file_annual_report(cmd: c.FileAnnualReport, uow, deps: Deps) -> ar.AnnualReport:
    org, now = cmd.actor.organisation, deps.clock.now()
    if not org:
        raise Forbidden("only a member of an institution files annual reports", "organisation")
    require(1949 <= cmd.year < now.year, f"a report covers a past year (before {now.year})", "year")
    figures = ar.Figures.parse(cmd.deals, cmd.income, cmd.researcher_rewards, cmd.people_involved)
    try:
        report, new = await uow.annual_reports.get(ar.report_id(org, cmd.year)), False
    except NotFound:
        overseers = await uow.oversights.overseers_of(org)
        if not overseers:
            raise InvalidInput(f"{org} is not overseen by any supervising department", "organisation") from None
        report, new = ar.new(org, cmd.year, overseers[0], now, deps.report_windows), True
    report.file(cmd.actor, now, figures)
    await (uow.annual_reports.add(report) if new else uow.annual_reports.save(report))
    return report


def _visible(r: ar.AnnualReport, actor) -> bool:
    return actor.has("operator", "system") or actor.organisation in (r.organisation, r.supervisor)


async def _visible_report(uow, cmd) -> ar.AnnualReport:
    r = await uow.annual_reports.get(cmd.report_id)
    if not _visible(r, cmd.actor):   # as if it did not exist
        raise NotFound(f"annual report {cmd.report_id} does not exist", "report_id")
    return r


async def get_annual_report(cmd: c.GetAnnualReport, uow, deps: Deps) -> ar.AnnualReport:
    return await _visible_report(uow, cmd)


async def approve_annual_report(cmd: c.ApproveAnnualReport, uow, deps: Deps) -> ar.AnnualReport:
    r = await _visible_report(uow, cmd)
    r.approve(cmd.actor, deps.clock.now(), cmd.note)
    await uow.annual_reports.save(r)
    return r


async def return_annual_report(cmd: c.ReturnAnnualReport, uow, deps: Deps) -> ar.AnnualReport:
    r = await _visible_report(uow, cmd)
    r.return_for_revision(cmd.actor, deps.clock.now(), cmd.note)
    await uow.annual_reports.save(r)
    return r
