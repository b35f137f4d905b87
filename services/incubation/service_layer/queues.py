"""Work-queue handlers of incubation `(cmd, uow, deps)`: the checked request (domain/queues.py)
and its scope — SLA breaches are the open cases due before now (per the clock), a station's
cases those it handles."""

from services.common.errors import Forbidden
from services.common.queues import check
from services.incubation.domain import queues
from services.incubation.service_layer.deps import Deps


async def station_queue(cmd: queues.StationQueue, uow, deps: Deps) -> tuple[list, str]:
    return await uow.stations.queue(check(queues.STATIONS, cmd))


async def case_queue(cmd: queues.CaseQueue, uow, deps: Deps) -> tuple[list, str]:
    page = check(queues.CASES, cmd)
    if page.queue == "SLA_BREACHES":
        now = deps.clock.now()
        due_before = min(now, page.due_before) if page.due_before else now
        return await uow.cases.queue(page, due_before=due_before)
    if not cmd.actor.organisation:
        raise Forbidden("only a member of a station's host organisation has its cases", "organisation")
    return await uow.cases.queue(page, station_organisation=cmd.actor.organisation, due_before=page.due_before)
