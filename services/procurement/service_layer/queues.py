"""Work-queue handlers of procurement `(cmd, uow, deps)`: the checked request (domain/queues.py)
and its scope — an expert's scoring queue leaves out what they scored and their own
organisation's applications, a buyer's queues hold their unit's demands and awards."""

from services.common.errors import Forbidden
from services.common.queues import check
from services.procurement.domain import queues


def _organisation(actor) -> str:
    if not actor.organisation:
        raise Forbidden("only a member of an organisation has this queue", "organisation")
    return actor.organisation


async def product_queue(cmd: queues.ProductQueue, uow, deps) -> tuple[list, str]:
    page = check(queues.PRODUCTS, cmd)
    if page.queue == "SCORING":
        return await uow.products.scoring_queue(page, cmd.actor.subject, cmd.actor.organisation)
    return await uow.products.first_set_queue(page)


async def claim_queue(cmd: queues.ClaimQueue, uow, deps) -> tuple[list, str]:
    return await uow.claims.queue(check(queues.CLAIMS, cmd))


async def demand_queue(cmd: queues.DemandQueue, uow, deps) -> tuple[list, str]:
    page = check(queues.DEMANDS, cmd)
    return await uow.demands.queue(page, _organisation(cmd.actor))


async def award_queue(cmd: queues.AwardQueue, uow, deps) -> tuple[list, str]:
    page = check(queues.AWARDS, cmd)
    return await uow.awards.queue(page, _organisation(cmd.actor))
