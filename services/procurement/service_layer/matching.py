"""Matching of open demands (an event consumer): re-rank when a demand is published or the
catalog changes, in the consumer's unit of work (with its inbox dedupe)."""

from services.common.errors import NotFound
from services.procurement.domain import matching
from services.procurement.service_layer.deps import Deps

# every catalog change that alters a score (first set) or eligibility (listed or not) re-ranks
CATALOG_CHANGES = ("ProductListed", "ProductRenewed", "ProductReinstated", "ProductSuspended", "ProductExpired",
                   "FirstSetRecognised")


async def rematch(uow, deps: Deps, demand_ids: list[str] | None = None) -> list[str]:
    """Re-rank the open demands (those of `demand_ids`, or all); returns those whose suggestions changed."""
    now = deps.clock.now()
    open_demands = await uow.views.open_demands(now, demand_ids)
    if not open_demands:
        return []
    products = await uow.views.listed_products(now)
    achievements = await uow.views.registered_achievements()
    changed = []
    for d in sorted(open_demands, key=lambda d: d["demand_id"]):
        try:
            current, known = await uow.suggestions.get(d["demand_id"]), True
        except NotFound:
            current, known = matching.Suggestions(demand_id=d["demand_id"]), False
        if current.update(matching.rank(d, products, achievements), d["region"], now):
            await (uow.suggestions.save(current) if known else uow.suggestions.add(current))
            changed.append(d["demand_id"])
    return changed


def subscriptions(deps: Deps) -> dict:
    """{event type: handler(message, envelope, uow)} of the matching consumer group."""
    async def on_demand(message, envelope, uow) -> list[str]:
        return await rematch(deps.attach(uow), deps, [message.demand_id])

    async def on_catalog_change(message, envelope, uow) -> list[str]:
        return await rematch(deps.attach(uow), deps)

    return {"bth.procurement.v1.DemandPublished": on_demand,
            **{f"bth.procurement.v1.{name}": on_catalog_change for name in CATALOG_CHANGES}}
