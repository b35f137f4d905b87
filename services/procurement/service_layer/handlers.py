"""Procurement handlers in two tables (COMMANDS: writes, QUERIES: reads), dispatched by the
message bus (services.common.bus), and the subscriptions table (events)."""

from services.common.bus import Checked, MessageBus, Sweep
from services.common.known import get_known_achievement
from services.procurement.adapters import read_models
from services.procurement.domain import commands
from services.procurement.domain import queues as queue_commands
from services.procurement.service_layer import catalog, demands, matching, queues, search
from services.procurement.service_layer.deps import Deps

COMMANDS = {
    commands.ApplyProduct: Checked(catalog.check_application, catalog.apply_product),
    commands.ReviewProduct: catalog.review_product,
    commands.SuspendProduct: catalog.suspend_product,
    commands.ReinstateProduct: catalog.reinstate_product,
    commands.RenewProduct: catalog.renew_product,
    commands.ExpireListings: Sweep(catalog.listings_due, catalog.expire_listing),
    commands.ApplyFirstSet: catalog.apply_first_set,
    commands.DecideFirstSet: catalog.decide_first_set,
    commands.PublishDemand: demands.publish_demand,
    commands.MakeAward: demands.make_award,
    commands.ApplyInsuranceClaim: demands.apply_insurance_claim,
    commands.ReviewInsuranceClaim: demands.review_insurance_claim,
    commands.SettleInsuranceClaim: demands.settle_insurance_claim,
}

QUERIES = {
    commands.GetKnownAchievement: get_known_achievement("procurement"),
    commands.GetProduct: catalog.get_product,
    commands.SearchProducts: search.search_products,
    commands.GetDemand: demands.get_demand,
    commands.GetSuggestions: demands.get_suggestions,
    # work queues
    queue_commands.ProductQueue: queues.product_queue,
    queue_commands.ClaimQueue: queues.claim_queue,
    queue_commands.DemandQueue: queues.demand_queue,
    queue_commands.AwardQueue: queues.award_queue,
}


def bus(deps: Deps) -> MessageBus:
    return MessageBus(COMMANDS, QUERIES, deps.uow, deps)


async def handle(cmd, deps: Deps):
    """Dispatch one command (retried unit of work for writes; reads without a transaction)."""
    return await bus(deps).handle(cmd)


async def expire_listings(now, deps: Deps) -> list[str]:
    """What the worker's timer calls: the ids of the listings it expired."""
    return await handle(commands.ExpireListings(catalog.TIMER, now), deps)


# consumer group -> {event type -> handler(message, envelope, uow)}
SUBSCRIPTIONS = {
    "achievements": read_models.achievements.handlers(read_models.ACHIEVEMENT_TOPIC),
}


def subscriptions(deps: Deps) -> dict:
    """SUBSCRIPTIONS plus the handlers that need deps (matching reads the clock and policy)."""
    return {**SUBSCRIPTIONS, "matching": matching.subscriptions(deps)}
