"""Matching of open demands (an event consumer), in the consumer's unit of work (with its inbox
dedupe): a published demand is ranked against the whole catalog; a catalog change or a registry
achievement change rescores only the one product or achievement it touched against each open
demand's kept top list (matching.rescore), ranking a demand whole only when that cannot tell."""

from services.common import contracts
from services.common.errors import NotFound
from services.procurement.domain import matching
from services.procurement.service_layer.deps import Deps

# every catalog change that alters a score (first set) or eligibility (listed or not) re-ranks
CATALOG_CHANGES = ("ProductListed", "ProductRenewed", "ProductReinstated", "ProductSuspended", "ProductExpired",
                   "FirstSetRecognised")

# an achievement enters the suggestions when registered and leaves when withdrawn (nothing else changes its score)
ACHIEVEMENT_CHANGES = ("AchievementRegistered", "AchievementWithdrawn")


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
        uow = deps.attach(uow)
        product = await uow.views.listed_product(message.product_id, deps.clock.now())
        return await rescore(uow, deps, "product", message.product_id,
                             lambda d: product and matching.rank_product(d, product))

    async def on_achievement_change(message, envelope, uow) -> list[str]:
        # the mirror first, in this group's own unit of work: a demand published later is ranked whole
        # from the mirror, and the "achievements" group that also keeps it may not have got this far yet
        uow = deps.attach(uow)
        await uow.views.keep_achievement(message, envelope)
        a = contracts.to_dict(message.achievement)
        return await rescore(uow, deps, "achievement", a["achievement_id"],
                             lambda d: a.get("status") == "REGISTERED" and matching.rank_achievement(d, a) or None)

    return {"bth.procurement.v1.DemandPublished": on_demand,
            **{f"bth.procurement.v1.{name}": on_catalog_change for name in CATALOG_CHANGES},
            **{f"bth.registry.v1.{name}": on_achievement_change for name in ACHIEVEMENT_CHANGES}}


async def rescore(uow, deps: Deps, kind: str, ref_id: str, suggest) -> list[str]:
    """One candidate changed: `suggest(demand)` is its suggestion now (or None). Returns the demands
    whose suggestions changed; a demand whose kept list cannot tell is ranked whole (rematch)."""
    now, changed, whole = deps.clock.now(), [], []
    for d in sorted(await uow.views.open_demands(now), key=lambda d: d["demand_id"]):
        try:
            current = await uow.suggestions.get(d["demand_id"])
        except NotFound:
            whole.append(d["demand_id"])
            continue
        items = matching.rescore(current.items, kind, ref_id, suggest(d) or None)
        if items is None:
            whole.append(d["demand_id"])
        elif current.update(items, d["region"], now):
            await uow.suggestions.save(current)
            changed.append(d["demand_id"])
    return sorted(changed + (await rematch(uow, deps, whole) if whole else []))
