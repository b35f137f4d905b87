"""Annual report handlers: oversight lists (supervisors), filing (institutions), approve /
return (supervisors), the late / missing lists per year, and `flag_missing_reports` (worker
timer and operator RPC): AnnualReportMissing once per institution/year after the institution
deadline, AnnualReportFilingOverdue once per supervisor/year after the supervisor deadline."""

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


async def _edit_oversight(cmd: c.OverseeInstitution, deps: Deps, adding: bool) -> Oversight:
    supervisor = _supervisor_of(cmd, "edit an oversight list")
    async with deps.uow() as uow:
        repo = deps.oversights(uow)
        try:
            o, new = await repo.get(supervisor), False
        except NotFound:
            o, new = Oversight(supervisor=supervisor), True
        if adding:
            other = await uow.db["oversights"].find_one(
                {"institutions": cmd.organisation, "_id": {"$ne": supervisor}}, session=uow.session)
            if other:
                raise Conflict(f"{cmd.organisation} is overseen by {other['_id']} already", "organisation")
            o.add(cmd.actor, cmd.organisation, deps.clock.now())
        else:
            o.remove(cmd.actor, cmd.organisation, deps.clock.now())
        await (repo.add(o) if new else repo.save(o))
        await uow.commit()
    return o


async def oversee_institution(cmd: c.OverseeInstitution, deps: Deps) -> Oversight:
    return await _edit_oversight(cmd, deps, True)


async def release_institution(cmd: c.ReleaseInstitution, deps: Deps) -> Oversight:
    return await _edit_oversight(cmd, deps, False)


async def get_oversight(cmd: c.GetOversight, deps: Deps) -> Oversight:
    supervisor = _supervisor_of(cmd, "read an oversight list")
    async with deps.uow() as uow:
        try:
            return await deps.oversights(uow).get(supervisor)
        except NotFound:
            return Oversight(supervisor=supervisor)


async def file_annual_report(cmd: c.FileAnnualReport, deps: Deps) -> ar.AnnualReport:
    org, now = cmd.actor.organisation, deps.clock.now()
    if not org:
        raise Forbidden("only a member of an institution files annual reports", "organisation")
    require(1949 <= cmd.year < now.year, f"a report covers a past year (before {now.year})", "year")
    figures = ar.Figures.parse(cmd.deals, cmd.income, cmd.researcher_rewards, cmd.people_involved)
    async with deps.uow() as uow:
        overseer = await uow.db["oversights"].find_one({"institutions": org}, session=uow.session)
        repo = deps.annual_reports(uow)
        try:
            report, new = await repo.get(ar.report_id(org, cmd.year)), False
        except NotFound:
            if overseer is None:
                raise InvalidInput(f"{org} is not overseen by any supervising department", "organisation") from None
            report, new = ar.new(org, cmd.year, overseer["_id"], now, deps.report_windows), True
        report.file(cmd.actor, now, figures)
        await (repo.add(report) if new else repo.save(report))
        await uow.commit()
    return report


def _visible(r: ar.AnnualReport, actor) -> bool:
    return actor.has("operator", "system") or actor.organisation in (r.organisation, r.supervisor)


async def get_annual_report(cmd: c.GetAnnualReport, deps: Deps) -> ar.AnnualReport:
    async with deps.uow() as uow:
        r = await deps.annual_reports(uow).get(cmd.report_id)
    if not _visible(r, cmd.actor):
        raise NotFound(f"annual report {cmd.report_id} does not exist", "report_id")
    return r


async def _decide(cmd: c.DecideAnnualReport, deps: Deps, approve: bool) -> ar.AnnualReport:
    async with deps.uow() as uow:
        repo = deps.annual_reports(uow)
        r = await repo.get(cmd.report_id)
        if not _visible(r, cmd.actor):
            raise NotFound(f"annual report {cmd.report_id} does not exist", "report_id")
        if approve:
            r.approve(cmd.actor, deps.clock.now(), cmd.note)
        else:
            r.return_for_revision(cmd.actor, deps.clock.now(), cmd.note)
        await repo.save(r)
        await uow.commit()
    return r


async def approve_annual_report(cmd: c.ApproveAnnualReport, deps: Deps) -> ar.AnnualReport:
    return await _decide(cmd, deps, True)


async def return_annual_report(cmd: c.ReturnAnnualReport, deps: Deps) -> ar.AnnualReport:
    return await _decide(cmd, deps, False)
