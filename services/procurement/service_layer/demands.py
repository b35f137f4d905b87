"""Demand, award and insurance-claim handlers, and the queries of a demand and its suggestions."""

import uuid

from services.common.errors import Forbidden, NotFound
from services.procurement.domain import claim, commands, demand, matching
from services.procurement.service_layer.catalog import role
from services.procurement.service_layer.deps import Deps


async def publish_demand(cmd: commands.PublishDemand, uow, deps: Deps) -> demand.Demand:
    role(cmd.actor, "buyer")
    if not cmd.actor.organisation:
        raise Forbidden("only a member of a buyer unit can publish demands", "organisation")
    made = demand.publish(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.policy, cmd.need, cmd.category,
                          cmd.budget, cmd.deadline, cmd.region)
    await uow.demands.add(made)
    return made


async def get_demand(cmd: commands.GetDemand, uow, deps: Deps) -> demand.Demand:
    return await uow.demands.get(cmd.demand_id)


async def get_suggestions(cmd: commands.GetSuggestions, uow, deps: Deps) -> matching.Suggestions:
    await uow.demands.get(cmd.demand_id)
    try:
        return await uow.suggestions.get(cmd.demand_id)
    except NotFound:   # not ranked yet
        return matching.Suggestions(demand_id=cmd.demand_id)


async def make_award(cmd: commands.MakeAward, uow, deps: Deps) -> demand.Award:
    role(cmd.actor, "buyer")
    wanted = await uow.demands.get(cmd.demand_id)
    try:
        product = await uow.products.get(cmd.product_id)
    except NotFound as exc:
        exc.field = "product_id"
        raise
    made = demand.award(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.policy, wanted, product,
                        cmd.amount, cmd.award_date)
    await uow.awards.add(made)
    await uow.demands.save(wanted)
    return made


async def apply_insurance_claim(cmd: commands.ApplyInsuranceClaim, uow, deps: Deps) -> claim.InsuranceClaim:
    role(cmd.actor, "enterprise")
    product = await uow.products.get(cmd.product_id)
    made = claim.apply(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.policy, product, cmd.amount, cmd.reason)
    await uow.claims.add(made)
    return made


async def _claim_change(uow, claim_id: str, change) -> claim.InsuranceClaim:
    found = await uow.claims.get(claim_id)
    change(found)
    await uow.claims.save(found)
    return found


async def review_insurance_claim(cmd: commands.ReviewInsuranceClaim, uow, deps: Deps) -> claim.InsuranceClaim:
    role(cmd.actor, "operator", "expert")
    return await _claim_change(uow, cmd.id, lambda c: c.review(cmd.actor, deps.clock.now(), cmd.approve, cmd.note))


async def settle_insurance_claim(cmd: commands.SettleInsuranceClaim, uow, deps: Deps) -> claim.InsuranceClaim:
    role(cmd.actor, "operator")
    return await _claim_change(uow, cmd.id, lambda c: c.settle(cmd.actor, deps.clock.now(), cmd.approve, cmd.note))
