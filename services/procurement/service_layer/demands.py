"""Demands, awards, insurance claims, and the matching of open demands (an event consumer)."""

import uuid

from services.common.errors import Forbidden, NotFound
from services.common.identity import Principal
from services.procurement.adapters import read_models
from services.procurement.domain import claim, commands, demand, matching
from services.procurement.service_layer.catalog import _role
from services.procurement.service_layer.deps import Deps
from services.procurement.service_layer.unit import in_unit

MATCHER = Principal(subject="matching-worker", roles=frozenset({"system"}))


async def publish_demand(cmd: commands.PublishDemand, deps: Deps) -> demand.Demand:
    _role(cmd.actor, "buyer")
    if not cmd.actor.organisation:
        raise Forbidden("only a member of a buyer unit can publish demands", "organisation")
    made = demand.publish(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.policy, cmd.need, cmd.category,
                          cmd.budget, cmd.deadline, cmd.region)
    await in_unit(deps, lambda uow: deps.demands(uow).add(made))
    return made


async def get_demand(cmd: commands.GetDemand, deps: Deps) -> demand.Demand:
    async with deps.uow() as uow:
        return await deps.demands(uow).get(cmd.demand_id)


async def get_suggestions(cmd: commands.GetSuggestions, deps: Deps) -> matching.Suggestions:
    async with deps.uow() as uow:
        await deps.demands(uow).get(cmd.demand_id)
        found = await deps.suggestions(uow).find({"_id": cmd.demand_id})
    return found[0] if found else matching.Suggestions(demand_id=cmd.demand_id)


async def make_award(cmd: commands.MakeAward, deps: Deps) -> demand.Award:
    _role(cmd.actor, "buyer")
    async def work(uow) -> demand.Award:
        demands_repo, products_repo = deps.demands(uow), deps.products(uow)
        wanted = await demands_repo.get(cmd.demand_id)
        try:
            product = await products_repo.get(cmd.product_id)
        except NotFound as exc:
            exc.field = "product_id"
            raise
        made = demand.award(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.policy, wanted, product,
                            cmd.amount, cmd.award_date)
        await deps.awards(uow).add(made)
        await demands_repo.save(wanted)
        return made
    return await in_unit(deps, work)


async def apply_insurance_claim(cmd: commands.ApplyInsuranceClaim, deps: Deps) -> claim.InsuranceClaim:
    _role(cmd.actor, "enterprise")
    async def work(uow) -> claim.InsuranceClaim:
        product = await deps.products(uow).get(cmd.product_id)
        made = claim.apply(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.policy, product, cmd.amount,
                           cmd.reason)
        await deps.claims(uow).add(made)
        return made
    return await in_unit(deps, work)


async def _claim_change(deps: Deps, claim_id: str, change) -> claim.InsuranceClaim:
    async def work(uow) -> claim.InsuranceClaim:
        repo = deps.claims(uow)
        found = await repo.get(claim_id)
        change(found)
        await repo.save(found)
        return found
    return await in_unit(deps, work)


async def review_insurance_claim(cmd: commands.ReviewInsuranceClaim, deps: Deps) -> claim.InsuranceClaim:
    _role(cmd.actor, "operator", "expert")
    return await _claim_change(deps, cmd.id, lambda c: c.review(cmd.actor, deps.clock.now(), cmd.approve, cmd.note))


async def settle_insurance_claim(cmd: commands.SettleInsuranceClaim, deps: Deps) -> claim.InsuranceClaim:
    _role(cmd.actor, "operator")
    return await _claim_change(deps, cmd.id, lambda c: c.settle(cmd.actor, deps.clock.now(), cmd.approve, cmd.note))


# --- matching: re-rank open demands when a demand is published or a product is listed ---

async def rematch(uow, deps: Deps, demand_ids: list[str] | None = None) -> None:
    now = deps.clock.now()
    query = {"status": "OPEN", "deadline": {"$gt": now}}
    if demand_ids is not None:
        query["_id"] = {"$in": demand_ids}
    open_demands = await uow.db["demands"].find(query, session=uow.session).to_list()
    if not open_demands:
        return
    products = await uow.db["products"].find({"status": "LISTED", "valid_until": {"$gt": now}},
                                             session=uow.session).to_list()
    achievements = await uow.db[read_models.achievements.collection].find(
        {"status": "REGISTERED"}, session=uow.session).to_list()
    repo = deps.suggestions(uow)
    for d in open_demands:
        items = matching.rank(d, products, achievements)
        existing = await repo.find({"_id": d["_id"]})
        current = existing[0] if existing else matching.Suggestions(demand_id=d["_id"])
        if current.update(items, d["region"], now):
            await (repo.save(current) if existing else repo.add(current))


def subscriptions(deps: Deps) -> dict:
    async def on_demand(message, envelope, uow):
        await rematch(uow, deps, [message.demand_id])

    async def on_listing(message, envelope, uow):
        await rematch(uow, deps)

    # every catalog change that alters a score (first set) or eligibility (listed or not) re-ranks
    catalog_changes = ("ProductListed", "ProductRenewed", "ProductReinstated", "ProductSuspended",
                       "ProductExpired", "FirstSetRecognised")
    return {"bth.procurement.v1.DemandPublished": on_demand,
            **{f"bth.procurement.v1.{name}": on_listing for name in catalog_changes}}
