"""The matching consumer on fakes: a published demand or a catalog change re-ranks open
demands in the consumer's unit of work; an unchanged ranking records nothing."""

import pytest

from bth.procurement.v1 import events_pb2
from services.procurement.domain.product import Status
from services.procurement.service_layer import handlers
from tests.unit.procurement.world import ACHIEVEMENT, OPERATOR, listed, open_demand, world


async def consume(uow, deps, event_type: str, message) -> list[str]:
    """What the consumer does: the subscribed handler inside one unit of work, committed."""
    handler = handlers.subscriptions(deps)["matching"][f"bth.procurement.v1.{event_type}"]
    async with uow:
        changed = await handler(message, None, uow)
        await uow.commit()
    return changed


def published(demand_id="d-1"):
    return events_pb2.DemandPublished(demand_id=demand_id)


async def test_a_published_demand_is_ranked_against_listed_products_and_registered_achievements():
    uow, deps = world(mirrored=[ACHIEVEMENT])
    uow.products.seed(listed(deps))
    uow.demands.seed(open_demand(deps))
    assert await consume(uow, deps, "DemandPublished", published()) == ["d-1"]
    ranked = uow.suggestions.items["d-1"]
    # 10 per shared keyword, 20 same category, 10 within budget; the regions differ
    assert [(s.kind, s.ref_id, s.score, s.reason) for s in ranked.items] == [
        ("product", "p-1", 90.0, "keywords: 数控, 数控机床, 机床, 系统, 运维, 远程; same category; within budget"),
        ("achievement", "ach-1", 30.0, "keywords: 数控, 数控机床, 机床")]
    assert (ranked.version, ranked.updated_at) == (1, deps.clock.now())
    assert uow.event_names() == ["DemandSuggestionsUpdated"]
    event = uow.events[0]
    assert (event.demand_id, event.region, event.visible_regions, event.suggestions["version"]) == (
        "d-1", "TIANJIN", ["BEIJING", "TIANJIN", "HEBEI"], 1)


async def test_the_same_ranking_again_records_nothing():
    uow, deps = world()
    uow.products.seed(listed(deps))
    uow.demands.seed(open_demand(deps))
    await consume(uow, deps, "DemandPublished", published())
    assert await consume(uow, deps, "ProductListed", events_pb2.ProductListed(product_id="p-1")) == []
    assert uow.event_names() == ["DemandSuggestionsUpdated"] and uow.suggestions.items["d-1"].version == 1


@pytest.mark.parametrize("event_type", ["ProductListed", "ProductRenewed", "ProductReinstated", "ProductSuspended",
                                        "ProductExpired", "FirstSetRecognised"])
async def test_a_catalog_change_re_ranks_every_open_demand(event_type):
    uow, deps = world()
    uow.demands.seed(open_demand(deps, "d-1"), open_demand(deps, "d-2"))
    await consume(uow, deps, "DemandPublished", published("d-1"))
    assert uow.suggestions.items == {} and uow.events == []   # nothing listed yet: an empty ranking is not stored
    uow.products.seed(listed(deps))
    assert await consume(uow, deps, event_type, events_pb2.ProductListed(product_id="p-1")) == ["d-1", "d-2"]
    assert [s.ref_id for s in uow.suggestions.items["d-2"].items] == ["p-1"]
    assert uow.event_names() == ["DemandSuggestionsUpdated", "DemandSuggestionsUpdated"]


async def test_a_closed_or_past_demand_is_not_ranked():
    uow, deps = world()
    uow.products.seed(listed(deps))
    awarded = open_demand(deps, "d-1")
    awarded.status = "AWARDED"
    uow.demands.seed(awarded, open_demand(deps, "d-2"))
    deps.clock.advance(days=31)                               # past d-2's deadline
    assert await consume(uow, deps, "DemandPublished", published("d-1")) == []
    assert await consume(uow, deps, "ProductListed", events_pb2.ProductListed(product_id="p-1")) == []
    assert uow.suggestions.items == {} and uow.events == []


async def test_a_suspended_product_drops_out_of_the_ranking():
    uow, deps = world()
    product = listed(deps)
    uow.products.seed(product)
    uow.demands.seed(open_demand(deps))
    await consume(uow, deps, "DemandPublished", published())
    product.suspend(OPERATOR, deps.clock.now(), "complaint")
    uow.products.seed(product)
    assert uow.products.items["p-1"].status == Status.SUSPENDED
    assert await consume(uow, deps, "ProductSuspended", events_pb2.ProductSuspended(product_id="p-1")) == ["d-1"]
    assert (uow.suggestions.items["d-1"].items, uow.suggestions.items["d-1"].version) == ([], 2)
