"""Fiscal obligation handlers `(cmd, uow, deps)`: operators register funded projects; a project
whose end date has passed (per the clock) without a REGISTERED achievement carrying its project
code and a technology report of its holder (filed for the project code or for an achievement of
the project) is overdue: listed, and ObligationOverdue raised once (the CheckObligations sweep:
worker timer and operator RPC); once it owes nothing it is met (ObligationMet, the flag clears)."""

from services.common.errors import Forbidden
from services.registry.domain import annual_commands as c
from services.registry.domain import obligation
from services.registry.domain.annual_report import CHINA
from services.registry.service_layer.deps import Deps

COUNTS_TECHNOLOGY_REPORTS = True


async def register_funded_project(cmd: c.RegisterFundedProject, uow, deps: Deps) -> obligation.FundedProject:
    p = obligation.register(cmd.actor, deps.clock.now(), project_code=cmd.project_code, fiscal_plan=cmd.fiscal_plan,
                            holder=cmd.holder, end_date=cmd.end_date, title=cmd.title)
    await uow.funded_projects.add(p, "project_code")
    return p


def _may_read(actor, holder: str) -> bool:
    return actor.has("operator", "system", "supervisor") or actor.organisation == holder


async def get_funded_project(cmd: c.GetFundedProject, uow, deps: Deps) -> obligation.FundedProject:
    p = await uow.funded_projects.get(cmd.project_code)
    if not _may_read(cmd.actor, p.holder):
        raise Forbidden("only the holder, supervisors and operators read a funded project", "project_code")
    return p


async def owed(uow, p: obligation.FundedProject) -> list[str]:
    """What `p` still owes (see FundedProject.owed: only its holder's reports count)."""
    achievements = await uow.reporting.registered_for_project(p.project_code)
    holders = await uow.tech_reports.holders_for(p.project_code, achievements) if COUNTS_TECHNOLOGY_REPORTS else None
    return p.owed(achievements, holders)


def _today(deps: Deps) -> str:
    return deps.clock.now().astimezone(CHINA).date().isoformat()


async def list_overdue_obligations(cmd: c.ListOverdueObligations, uow, deps: Deps) -> dict:
    holder = cmd.holder
    if not cmd.actor.has("operator", "system", "supervisor"):
        holder = cmd.actor.organisation
        if not holder:
            raise Forbidden("only holders, supervisors and operators list obligations", "actor")
    items = []
    for p in await uow.funded_projects.ended_before(_today(deps), holder):
        missing = await owed(uow, p)
        if missing:
            items.append({"project": p, "missing": missing})
    return {"items": items, "counts_technology_reports": COUNTS_TECHNOLOGY_REPORTS}


async def ended_unmet(cmd: c.CheckObligations, uow, deps: Deps) -> list[str]:
    """The sweep's due ids: ended projects not met yet (unflagged, or flagged and maybe met since)."""
    if not cmd.actor.has("operator", "system"):
        raise Forbidden("only an operator may check obligations", "actor")
    return [p.project_code for p in await uow.funded_projects.ended_before(_today(deps), pending_only=True)]


async def assess(cmd: c.CheckObligations, code: str, uow, deps: Deps) -> bool:
    """One project in its own unit of work: ObligationOverdue once if it owes something (True),
    ObligationMet once it owes nothing (its flag, if any, clears)."""
    p = await uow.funded_projects.get(code)
    flagged = p.assess(deps.clock.now(), await owed(uow, p))
    if p.events:
        await uow.funded_projects.save(p)
    return flagged
