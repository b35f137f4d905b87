"""Catalog handlers on fakes: the application checked live against the registry, expert
review, suspension, renewal, first-set recognition and the product query, exactly."""

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused, Unavailable
from services.common.identity import Principal
from services.procurement.domain import commands as c
from services.procurement.domain.product import Status
from services.procurement.service_layer import handlers
from tests.unit.procurement.world import (
    ACHIEVEMENT,
    APPLICATION,
    EXPERTS,
    OPERATOR,
    OTHER_VENDOR,
    SUBMITTED,
    VENDOR,
    applied,
    listed,
    world,
)


async def test_an_application_is_checked_live_and_added_under_review():
    uow, deps = world(ACHIEVEMENT)
    product = await handlers.handle(c.ApplyProduct(VENDOR, **APPLICATION), deps)
    assert (product.status, product.organisation, product.field, product.price_value, product.version) == (
        Status.UNDER_REVIEW, "org-vendor", "digital-manufacturing", 850000.0, 1)
    assert deps.registry.calls == ["ach-1"] and list(uow.products.items) == [product.product_id]
    assert uow.event_names() == ["ProductApplied"] and uow.committed == 1
    event = uow.events[0]
    assert (event.region, event.visible_regions, event.product["version"]) == ("BEIJING", [], 1)  # no partner
    assert "tokens" not in event.product and "price_value" not in event.product


@pytest.mark.parametrize(("actor", "over", "error", "field", "registry_calls"), [
    (VENDOR, {"achievement_ids": ["ach-9"]}, InvalidInput, "achievement_ids", ["ach-9"]),   # registry: NOT_FOUND
    (VENDOR, {"achievement_ids": ["ach-1", "ach-2"]}, InvalidInput, "achievement_ids", ["ach-1", "ach-2"]),
    (VENDOR, {"price": "-5"}, InvalidInput, "price", []),                  # refused before calling out
    (VENDOR, {"achievement_ids": ["ach-1", "ach-1"]}, InvalidInput, "achievement_ids", []),
    (EXPERTS[0], {}, Forbidden, "role", []),
    (Principal("v-9", "", "BEIJING", frozenset({"enterprise"})), {}, Forbidden, "organisation", []),
])
async def test_a_refused_application_writes_nothing(actor, over, error, field, registry_calls):
    uow, deps = world(ACHIEVEMENT, SUBMITTED)
    with pytest.raises(error) as refused:
        await handlers.handle(c.ApplyProduct(actor, **{**APPLICATION, **over}), deps)
    assert refused.value.field == field and deps.registry.calls == registry_calls
    assert uow.products.items == {} and uow.events == [] and uow.committed == 0


async def test_an_unregistered_citation_names_its_status():
    uow, deps = world(SUBMITTED)
    with pytest.raises(InvalidInput) as refused:
        await handlers.handle(c.ApplyProduct(VENDOR, **{**APPLICATION, "achievement_ids": ["ach-2"]}), deps)
    assert refused.value.message == "achievement ach-2 is SUBMITTED, not registered"


async def test_a_registry_outage_is_unavailable_and_nothing_is_saved():
    uow, deps = world(ACHIEVEMENT, unavailable=True)
    with pytest.raises(Unavailable) as refused:
        await handlers.handle(c.ApplyProduct(VENDOR, **APPLICATION), deps)
    assert refused.value.field == "achievement_ids" and uow.products.items == {} and uow.committed == 0


async def test_three_passing_reviews_list_the_product_for_the_term():
    uow, deps = world()
    uow.products.seed(applied(deps))
    for expert, score in zip(EXPERTS, (80, 75, 90), strict=True):
        product = await handlers.handle(c.ReviewProduct(expert, "p-1", score, "sound"), deps)
    assert (product.status, product.version, [r.score for r in product.reviews]) == (Status.LISTED, 5, [80, 75, 90])
    assert (product.valid_until - product.listed_at).days == 3 * 365
    assert uow.event_names() == ["ProductReviewed", "ProductReviewed", "ProductReviewed", "ProductListed"]
    assert uow.products.items["p-1"].status == Status.LISTED and uow.committed == 3


async def test_a_failing_mean_rejects():
    uow, deps = world()
    uow.products.seed(applied(deps))
    for expert in EXPERTS:
        product = await handlers.handle(c.ReviewProduct(expert, "p-1", 40, "weak"), deps)
    assert product.status == Status.REJECTED and uow.event_names()[-1] == "ProductRejected"


@pytest.mark.parametrize(("actor", "score", "error", "field"), [
    (VENDOR, 90, Forbidden, "role"),
    (Principal("x-own", "org-vendor", "BEIJING", frozenset({"expert"})), 90, Forbidden, "expert"),
    (EXPERTS[0], 101, InvalidInput, "score"),
])
async def test_a_refused_review_leaves_the_product_unchanged(actor, score, error, field):
    uow, deps = world()
    uow.products.seed(applied(deps))
    with pytest.raises(error) as refused:
        await handlers.handle(c.ReviewProduct(actor, "p-1", score, "sound"), deps)
    assert refused.value.field == field
    assert (uow.products.items["p-1"].version, uow.products.items["p-1"].reviews, uow.events) == (1, [], [])


async def test_an_expert_reviews_once():
    uow, deps = world()
    uow.products.seed(applied(deps))
    await handlers.handle(c.ReviewProduct(EXPERTS[0], "p-1", 80, "sound"), deps)
    with pytest.raises(Conflict):
        await handlers.handle(c.ReviewProduct(EXPERTS[0], "p-1", 90, "again"), deps)
    assert [r.score for r in uow.products.items["p-1"].reviews] == [80] and uow.committed == 1


async def test_the_operator_suspends_and_reinstates_a_listing():
    uow, deps = world()
    uow.products.seed(listed(deps))
    suspended = await handlers.handle(c.SuspendProduct(OPERATOR, "p-1", "complaint"), deps)
    assert (suspended.status, suspended.audit[-1].note, suspended.version) == (Status.SUSPENDED, "complaint", 6)
    reinstated = await handlers.handle(c.ReinstateProduct(OPERATOR, "p-1", "cleared"), deps)
    assert (reinstated.status, reinstated.version) == (Status.LISTED, 7)
    assert uow.event_names() == ["ProductSuspended", "ProductReinstated"]
    assert uow.events[0].visible_regions == ["BEIJING", "TIANJIN", "HEBEI"]


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (c.SuspendProduct(VENDOR, "p-1"), Forbidden, "role"),
    (c.ReinstateProduct(OPERATOR, "p-1"), TransitionRefused, "status"),   # listed, not suspended
    (c.SuspendProduct(OPERATOR, "p-9"), NotFound, "product_id"),
    (c.RenewProduct(OTHER_VENDOR, "p-1"), Forbidden, "product_id"),
])
async def test_refused_catalog_changes_leave_the_listing_unchanged(cmd, error, field):
    uow, deps = world()
    uow.products.seed(listed(deps))
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert (uow.products.items["p-1"].status, uow.products.items["p-1"].version, uow.events) == (Status.LISTED, 5, [])


async def test_reinstating_after_the_term_is_refused():
    uow, deps = world()
    uow.products.seed(listed(deps))
    await handlers.handle(c.SuspendProduct(OPERATOR, "p-1"), deps)
    deps.clock.advance(days=3 * 365)
    with pytest.raises(TransitionRefused) as refused:
        await handlers.handle(c.ReinstateProduct(OPERATOR, "p-1"), deps)
    assert refused.value.field == "valid_until" and uow.products.items["p-1"].status == Status.SUSPENDED


async def test_the_vendor_renews_a_listing_for_another_term_from_its_end():
    uow, deps = world()
    product = listed(deps)
    uow.products.seed(product)
    deps.clock.advance(days=10)
    renewed = await handlers.handle(c.RenewProduct(VENDOR, "p-1", "another term"), deps)
    assert (renewed.status, renewed.valid_until - product.valid_until) == (Status.LISTED, product.valid_until
                                                                           - product.listed_at)
    assert uow.event_names() == ["ProductRenewed"] and uow.products.items["p-1"].version == 6


async def test_first_set_recognition_applied_by_the_vendor_and_decided_by_an_expert():
    uow, deps = world()
    uow.products.seed(listed(deps))
    applied_for = await handlers.handle(c.ApplyFirstSet(VENDOR, "p-1", True, True, 2, "own patent"), deps)
    assert (applied_for.first_set.status, applied_for.first_set.units_sold_in_region) == ("APPLIED", 2)
    recognised = await handlers.handle(c.DecideFirstSet(EXPERTS[0], "p-1", True, "breakthrough"), deps)
    assert (recognised.first_set.status, recognised.is_first_set, recognised.first_set.recognised_at) == (
        "RECOGNISED", True, deps.clock.now())
    assert uow.event_names() == ["FirstSetApplied", "FirstSetRecognised"] and uow.products.items["p-1"].is_first_set


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (c.ApplyFirstSet(OTHER_VENDOR, "p-1", True, True, 1), Forbidden, "product_id"),
    (c.ApplyFirstSet(VENDOR, "p-1", True, True, 4), InvalidInput, "units_sold_in_region"),   # Beijing: at most 3
    (c.ApplyFirstSet(VENDOR, "p-1", False, True, 1), InvalidInput, "own_ip"),
    (c.DecideFirstSet(EXPERTS[0], "p-1", True), TransitionRefused, "first_set"),           # nothing applied
    (c.DecideFirstSet(VENDOR, "p-1", True), Forbidden, "role"),
])
async def test_refused_first_set_steps_leave_the_product_unchanged(cmd, error, field):
    uow, deps = world()
    uow.products.seed(listed(deps))
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert (uow.products.items["p-1"].first_set.status, uow.products.items["p-1"].version, uow.events) == (
        "NONE", 5, [])


@pytest.mark.parametrize(("actor", "visible"), [
    (OTHER_VENDOR, False), (VENDOR, True), (EXPERTS[0], True), (OPERATOR, True)])
async def test_an_application_under_review_is_visible_to_its_vendor_experts_and_operators(actor, visible):
    uow, deps = world()
    uow.products.seed(applied(deps))
    if visible:
        assert (await handlers.handle(c.GetProduct(actor, "p-1"), deps)).product_id == "p-1"
    else:
        with pytest.raises(NotFound) as hidden:
            await handlers.handle(c.GetProduct(actor, "p-1"), deps)
        assert (hidden.value.field, hidden.value.message) == ("product_id", "product p-1 does not exist")
    assert uow.committed == 0


async def test_a_listed_product_is_public():
    uow, deps = world()
    uow.products.seed(listed(deps))
    assert (await handlers.handle(c.GetProduct(OTHER_VENDOR, "p-1"), deps)).status == Status.LISTED


async def test_the_known_achievement_comes_from_the_mirror():
    uow, deps = world(known={"ach-1": ACHIEVEMENT})
    assert await handlers.handle(c.GetKnownAchievement(VENDOR, "ach-1"), deps) == ACHIEVEMENT
    with pytest.raises(NotFound) as unknown:
        await handlers.handle(c.GetKnownAchievement(VENDOR, "ach-9"), deps)
    assert unknown.value.message == "achievement ach-9 is not known to procurement"
    assert uow.views.calls == [("known_achievement", ("ach-1",), {}), ("known_achievement", ("ach-9",), {})]
