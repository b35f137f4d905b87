"""Work-queue handlers of the registry `(cmd, uow, deps)`: the checked request (domain/queues.py)
and its scope — a supervisor's review and annual-report queues hold its overseen institutions
only, an institution's drafts its own — read as one keyset page through the repositories."""

from services.common.errors import Forbidden
from services.common.queues import check
from services.registry.domain import queues
from services.registry.service_layer.lifecycle import overseen


async def achievement_queue(cmd: queues.AchievementQueue, uow, deps) -> tuple[list, str]:
    page = check(queues.ACHIEVEMENTS, cmd)
    organisations = None
    if page.queue == "MY_DRAFTS":
        if not cmd.actor.organisation:
            raise Forbidden("only a member of an organisation has drafts", "organisation")
        organisations = [cmd.actor.organisation]
    elif page.queue == "REVIEW" and not cmd.actor.has("operator"):
        organisations = await overseen(uow, cmd.actor)
    return await uow.achievements.queue(page, organisations)


async def annual_report_queue(cmd: queues.AnnualReportQueue, uow, deps) -> tuple[list, str]:
    page = check(queues.ANNUAL_REPORTS, cmd)
    supervisor = "" if cmd.actor.has("operator") else cmd.actor.organisation
    if not (supervisor or cmd.actor.has("operator")):
        raise Forbidden("only a member of a supervising department reviews reports", "organisation")
    last_day = queues.last_day_due_before(page.due_before) if page.due_before else ""
    return await uow.annual_reports.queue(page, supervisor, last_day)


async def obligation_queue(cmd: queues.ObligationQueue, uow, deps) -> tuple[list, str]:
    page = check(queues.OBLIGATIONS, cmd)
    last_day = queues.last_day_due_before(page.due_before) if page.due_before else ""
    return await uow.funded_projects.queue(page, last_day)
