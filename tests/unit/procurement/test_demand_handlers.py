"""Demand, award and insurance-claim handlers on fakes, and the demand queries, exactly."""

from datetime import timedelta

import pytest

from services.common.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from services.common.identity import Principal
from services.procurement.domain import commands as c
from services.procurement.domain.matching import Suggestion, Suggestions
from services.procurement.domain.product import Status
from services.procurement.service_layer import handlers
from tests.unit.procurement.world import (
    BUYER,
    EXPERTS,
    OPERATOR,
    OTHER_VENDOR,
    VENDOR,
    applied,
    applied_claim,
    first_set_product,
    listed,
    open_demand,
    world,
)

REGIONS = ["BEIJING", "TIANJIN", "HEBEI"]


def publish(deps, **over):
    fields = dict(need="采购数控机床远程运维系统", category="advanced-manufacturing", budget="900000.00",
                  deadline=deps.clock.now() + timedelta(days=30), region="TIANJIN") | over
    return c.PublishDemand(BUYER, **fields)


async def test_a_buyer_publishes_a_demand_for_every_region():
    uow, deps = world()
    made = await handlers.handle(publish(deps), deps)
    assert (made.status, made.organisation, made.budget, made.version) == ("OPEN", "org-buyer", "900000.00", 1)
    assert list(uow.demands.items) == [made.demand_id] and uow.event_names() == ["DemandPublished"]
    assert uow.events[0].visible_regions == REGIONS and "tokens" not in uow.events[0].demand


@pytest.mark.parametrize(("actor", "over", "error", "field"), [
    (VENDOR, {}, Forbidden, "role"),
    (Principal("b-9", "", "TIANJIN", frozenset({"buyer"})), {}, Forbidden, "organisation"),
    (BUYER, {"budget": "0"}, InvalidInput, "budget"),
    (BUYER, {"region": "SHANGHAI"}, InvalidInput, "region"),
    (BUYER, {"deadline": None}, InvalidInput, "deadline"),
    (BUYER, {"need": " "}, InvalidInput, "need"),
])
async def test_a_refused_demand_writes_nothing(actor, over, error, field):
    uow, deps = world()
    cmd = publish(deps, **over)
    with pytest.raises(error) as refused:
        await handlers.handle(c.PublishDemand(actor, *[getattr(cmd, f) for f in
                                                       ("need", "category", "budget", "deadline", "region")]), deps)
    assert refused.value.field == field and uow.demands.items == {} and uow.committed == 0


async def test_a_demand_and_its_suggestions_are_read_without_a_transaction():
    uow, deps = world()
    uow.demands.seed(open_demand(deps))
    assert (await handlers.handle(c.GetDemand(VENDOR, "d-1"), deps)).need == "采购数控机床远程运维系统"
    assert await handlers.handle(c.GetSuggestions(VENDOR, "d-1"), deps) == Suggestions(demand_id="d-1")
    ranked = Suggestions(demand_id="d-1", items=[Suggestion("product", "p-1", "x", 30.0, "same category")])
    uow.suggestions.seed(ranked)
    assert (await handlers.handle(c.GetSuggestions(VENDOR, "d-1"), deps)).items == ranked.items
    with pytest.raises(NotFound) as missing:
        await handlers.handle(c.GetSuggestions(VENDOR, "d-9"), deps)
    assert missing.value.field == "demand_id" and uow.committed == 0 and not uow.entered


async def test_the_buyer_awards_a_listed_product_and_the_demand_closes():
    uow, deps = world()
    uow.products.seed(listed(deps, region="HEBEI"))
    uow.demands.seed(open_demand(deps))
    made = await handlers.handle(c.MakeAward(BUYER, "d-1", "p-1", "850000.00", deps.clock.now()), deps)
    assert (made.amount, made.buyer_region, made.vendor_region, made.vendor_organisation, made.first_set,
            made.version) == ("850000.00", "TIANJIN", "HEBEI", "org-vendor", False, 1)
    assert list(uow.awards.items) == [made.award_id] and uow.demands.items["d-1"].status == "AWARDED"
    assert uow.event_names() == ["DemandAwarded", "AwardMade"] and uow.committed == 1   # in the order loaded
    assert (uow.events[1].visible_regions, uow.events[1].field) == (["HEBEI", "TIANJIN"], "digital-manufacturing")


@pytest.mark.parametrize(("actor", "product_id", "amount", "error", "field"), [
    (VENDOR, "p-1", "850000.00", Forbidden, "role"),
    (Principal("b-2", "org-other-buyer", "TIANJIN", frozenset({"buyer"})), "p-1", "850000.00", Forbidden,
     "demand_id"),
    (BUYER, "p-9", "850000.00", NotFound, "product_id"),
    (BUYER, "p-2", "850000.00", TransitionRefused, "product_id"),       # under review: no valid listing
    (BUYER, "p-1", "900000.01", InvalidInput, "amount"),                # over budget, no tolerance
])
async def test_a_refused_award_leaves_the_demand_open(actor, product_id, amount, error, field):
    uow, deps = world()
    uow.products.seed(listed(deps), applied(deps, "p-2"))
    uow.demands.seed(open_demand(deps))
    with pytest.raises(error) as refused:
        await handlers.handle(c.MakeAward(actor, "d-1", product_id, amount, deps.clock.now()), deps)
    assert refused.value.field == field
    assert (uow.demands.items["d-1"].status, uow.awards.items, uow.events) == ("OPEN", {}, [])


async def test_an_awarded_demand_is_not_awarded_twice():
    uow, deps = world()
    uow.products.seed(listed(deps))
    uow.demands.seed(open_demand(deps))
    await handlers.handle(c.MakeAward(BUYER, "d-1", "p-1", "800000.00", deps.clock.now()), deps)
    with pytest.raises(TransitionRefused):
        await handlers.handle(c.MakeAward(BUYER, "d-1", "p-1", "800000.00", deps.clock.now()), deps)
    assert len(uow.awards.items) == 1 and uow.committed == 1


async def test_a_first_set_claims_insurance_then_is_reviewed_and_paid():
    uow, deps = world()
    uow.products.seed(first_set_product(deps))
    made = await handlers.handle(c.ApplyInsuranceClaim(VENDOR, "p-1", "10000.00", "failure in year one"), deps)
    assert (made.status, made.region, made.amount) == ("APPLIED", "BEIJING", "10000.00")
    reviewed = await handlers.handle(c.ReviewInsuranceClaim(EXPERTS[0], made.claim_id, True, "covered"), deps)
    paid = await handlers.handle(c.SettleInsuranceClaim(OPERATOR, made.claim_id, True, "paid"), deps)
    assert (reviewed.status, paid.status, paid.version, [a.action for a in paid.audit]) == (
        "REVIEWED", "PAID", 3, ["apply", "review", "pay"])
    assert uow.event_names() == ["InsuranceClaimApplied", "InsuranceClaimReviewed", "InsuranceClaimPaid"]
    assert uow.events[-1].visible_regions == ["BEIJING"] and uow.claims.items[made.claim_id].status == "PAID"


async def test_a_claim_refused_at_review_or_settlement():
    uow, deps = world()
    product = first_set_product(deps)
    uow.products.seed(product)
    uow.claims.seed(applied_claim(deps, product, "c-1"), applied_claim(deps, product, "c-2"))
    refused = await handlers.handle(c.ReviewInsuranceClaim(OPERATOR, "c-1", False, "not covered"), deps)
    await handlers.handle(c.ReviewInsuranceClaim(OPERATOR, "c-2", True, ""), deps)
    unpaid = await handlers.handle(c.SettleInsuranceClaim(OPERATOR, "c-2", False, "no budget"), deps)
    assert (refused.status, unpaid.status) == ("REFUSED", "REFUSED")
    assert uow.event_names() == ["InsuranceClaimRefused", "InsuranceClaimReviewed", "InsuranceClaimRefused"]


@pytest.mark.parametrize(("setup", "error", "field"), [
    (lambda deps: listed(deps), TransitionRefused, "product_id"),      # not a recognised first set
    (lambda deps: first_set_product(deps, "p-1"), None, None),
])
async def test_only_a_recognised_first_set_of_ones_own_claims(setup, error, field):
    uow, deps = world()
    uow.products.seed(setup(deps))
    actor = VENDOR if error else OTHER_VENDOR
    with pytest.raises(error or Forbidden) as refused:
        await handlers.handle(c.ApplyInsuranceClaim(actor, "p-1", "10000.00", "failure"), deps)
    assert refused.value.field == (field or "product_id") and uow.claims.items == {} and uow.events == []


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (c.ReviewInsuranceClaim(VENDOR, "c-1", True), Forbidden, "role"),
    (c.ReviewInsuranceClaim(Principal("x-own", "org-vendor", "BEIJING", frozenset({"expert"})), "c-1", True),
     Forbidden, "organisation"),
    (c.SettleInsuranceClaim(OPERATOR, "c-1", True), TransitionRefused, "status"),     # not reviewed yet
    (c.SettleInsuranceClaim(EXPERTS[0], "c-1", True), Forbidden, "role"),
    (c.ReviewInsuranceClaim(OPERATOR, "c-9", True), NotFound, "claim_id"),
])
async def test_refused_claim_steps_leave_the_claim_unchanged(cmd, error, field):
    uow, deps = world()
    product = first_set_product(deps)
    uow.products.seed(product)
    uow.claims.seed(applied_claim(deps, product))
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert (uow.claims.items["c-1"].status, uow.claims.items["c-1"].version, uow.events) == ("APPLIED", 1, [])


async def test_expired_listings_cannot_be_awarded_for_a_later_date():
    uow, deps = world()
    product = listed(deps)
    uow.products.seed(product)
    uow.demands.seed(open_demand(deps, deadline=deps.clock.now() + timedelta(days=5 * 365)))
    deps.clock.set(product.valid_until + timedelta(days=1))
    assert await handlers.handle(c.ExpireListings(OPERATOR), deps) == ["p-1"]
    assert uow.products.items["p-1"].status == Status.EXPIRED
    with pytest.raises(TransitionRefused):
        await handlers.handle(c.MakeAward(BUYER, "d-1", "p-1", "800000.00", deps.clock.now()), deps)


@pytest.mark.parametrize("swept", [True, False])
async def test_an_award_made_after_the_term_but_dated_back_into_it_is_refused(swept):
    """Judged against the listing when the award is made (the clock), not its claimed date —
    whether the expiry sweep has marked the listing EXPIRED yet or not."""
    uow, deps = world()
    product = listed(deps)
    uow.products.seed(product)
    uow.demands.seed(open_demand(deps, deadline=deps.clock.now() + timedelta(days=5 * 365)))
    deps.clock.set(product.valid_until + timedelta(days=1))
    if swept:
        assert await handlers.handle(c.ExpireListings(OPERATOR), deps) == ["p-1"]
    events_before = len(uow.events)
    with pytest.raises(TransitionRefused) as refused:
        await handlers.handle(c.MakeAward(BUYER, "d-1", "p-1", "800000.00", product.listed_at), deps)
    assert refused.value.field == "product_id"
    assert f"its term ended {product.valid_until.date()}" in refused.value.message
    assert "when it is made, not on its award_date" in refused.value.message
    assert (uow.awards.items, uow.demands.items["d-1"].status, len(uow.events)) == ({}, "OPEN", events_before)


async def test_an_award_dated_before_the_listing_began_is_refused():
    uow, deps = world()
    uow.products.seed(listed(deps))
    uow.demands.seed(open_demand(deps))
    listed_at = uow.products.items["p-1"].listed_at
    deps.clock.set(listed_at + timedelta(days=10))
    with pytest.raises(TransitionRefused) as refused:
        await handlers.handle(c.MakeAward(BUYER, "d-1", "p-1", "800000.00", listed_at - timedelta(days=1)), deps)
    assert refused.value.field == "product_id" and uow.awards.items == {}
    made = await handlers.handle(c.MakeAward(BUYER, "d-1", "p-1", "800000.00", listed_at + timedelta(days=1)), deps)
    assert made.product_id == "p-1"     # listed now, dated within the term: valid
