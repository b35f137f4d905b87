"""Procurement handlers (commands) in ONE table, and the subscriptions table (events)."""

from services.common.errors import NotFound
from services.procurement.adapters import read_models
from services.procurement.domain import commands
from services.procurement.service_layer import catalog, demands, search
from services.procurement.service_layer.deps import Deps


async def get_known_achievement(cmd: commands.GetKnownAchievement, deps: Deps) -> dict:
    found = await read_models.achievements.get(deps.db, cmd.achievement_id)
    if found is None:
        raise NotFound(f"achievement {cmd.achievement_id} is not known to procurement", "achievement_id")
    return found


HANDLERS = {
    commands.GetKnownAchievement: get_known_achievement,
    commands.ApplyProduct: catalog.apply_product,
    commands.ReviewProduct: catalog.review_product,
    commands.SuspendProduct: catalog.suspend_product,
    commands.ReinstateProduct: catalog.reinstate_product,
    commands.RenewProduct: catalog.renew_product,
    commands.GetProduct: catalog.get_product,
    commands.SearchProducts: search.search_products,
    commands.ExpireListings: catalog.expire_now,
    commands.ApplyFirstSet: catalog.apply_first_set,
    commands.DecideFirstSet: catalog.decide_first_set,
    commands.PublishDemand: demands.publish_demand,
    commands.GetDemand: demands.get_demand,
    commands.GetSuggestions: demands.get_suggestions,
    commands.MakeAward: demands.make_award,
    commands.ApplyInsuranceClaim: demands.apply_insurance_claim,
    commands.ReviewInsuranceClaim: demands.review_insurance_claim,
    commands.SettleInsuranceClaim: demands.settle_insurance_claim,
}

expire_listings = catalog.expire_listings   # (now, deps): driven by the worker's timer


async def handle(cmd, deps: Deps):
    return await HANDLERS[type(cmd)](cmd, deps)


# consumer group -> {event type -> handler(message, envelope, uow)}
SUBSCRIPTIONS = {
    "achievements": read_models.achievements.handlers(read_models.ACHIEVEMENT_TOPIC),
}


def subscriptions(deps: Deps) -> dict:
    """SUBSCRIPTIONS plus the handlers that need deps (matching reads the clock and policy)."""
    return {**SUBSCRIPTIONS, "matching": demands.subscriptions(deps)}
