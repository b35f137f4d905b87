"""Catalog search (filters, paging, refusals) and the listing-expiry sweep on fakes."""

from datetime import timedelta

import pytest

from services.common.errors import Forbidden, InvalidInput
from services.procurement.domain import commands as c
from services.procurement.domain.product import Status
from services.procurement.service_layer import handlers
from tests.unit.procurement.world import BUYER, OPERATOR, VENDOR, applied, first_set_product, listed, world


def catalog(deps):
    return [listed(deps, "p-1"), listed(deps, "p-2", name="污水处理膜组件", description="膜", category="new-materials",
                                        region="HEBEI", price="120000.00"),
            first_set_product(deps, "p-3"), applied(deps, "p-4")]


@pytest.mark.parametrize(("query", "found"), [
    ({}, ["p-1", "p-2", "p-3"]),                               # listed only: p-4 is under review
    ({"text": "数控机床"}, ["p-1", "p-3"]),
    ({"text": "污水 膜"}, ["p-2"]),
    ({"category": "new-materials"}, ["p-2"]),
    ({"region": "BEIJING"}, ["p-1", "p-3"]),
    ({"first_set": True}, ["p-3"]),
    ({"first_set": False}, ["p-1", "p-2"]),
    ({"min_price": "200000"}, ["p-1", "p-3"]),
    ({"max_price": "120000.00"}, ["p-2"]),
    ({"text": "区块链"}, []),
])
async def test_search_filters(query, found):
    uow, deps = world()
    uow.products.seed(*catalog(deps))
    page, cursor = await handlers.handle(c.SearchProducts(BUYER, **query), deps)
    assert ([p.product_id for p in page], cursor) == (found, "") and uow.committed == 0


async def test_search_pages_by_product_id():
    uow, deps = world()
    uow.products.seed(*catalog(deps))
    first, cursor = await handlers.handle(c.SearchProducts(BUYER, page_size=2), deps)
    rest, end = await handlers.handle(c.SearchProducts(BUYER, page_size=2, cursor=cursor), deps)
    assert ([p.product_id for p in first], cursor, [p.product_id for p in rest], end) == (
        ["p-1", "p-2"], "p-2", ["p-3"], "")


async def test_search_on_a_past_day_includes_listings_expired_since():
    uow, deps = world()
    product = listed(deps)
    uow.products.seed(product)
    deps.clock.set(product.valid_until)
    assert await handlers.handle(c.ExpireListings(OPERATOR), deps) == ["p-1"]
    on_day = product.listed_at + timedelta(days=1)
    assert (await handlers.handle(c.SearchProducts(BUYER), deps))[0] == []
    assert [p.status for p in (await handlers.handle(c.SearchProducts(BUYER, valid_on=on_day), deps))[0]] == [
        Status.EXPIRED]
    assert (await handlers.handle(c.SearchProducts(BUYER, valid_on=product.valid_until), deps))[0] == []


@pytest.mark.parametrize(("query", "field"), [
    ({"page_size": 201}, "page_size"), ({"page_size": -1}, "page_size"), ({"text": "的 和"}, "text"),
    ({"category": "astrology"}, "category"), ({"region": "SHANGHAI"}, "region"),
    ({"min_price": "abc"}, "min_price"), ({"max_price": "-1"}, "max_price")])
async def test_bad_search_input_names_the_field(query, field):
    uow, deps = world()
    with pytest.raises(InvalidInput) as refused:
        await handlers.handle(c.SearchProducts(BUYER, **query), deps)
    assert refused.value.field == field


async def test_the_timer_expires_ended_listings_once_each():
    uow, deps = world()
    uow.products.seed(listed(deps, "p-1"), listed(deps, "p-2"), applied(deps, "p-3"))
    deps.clock.advance(days=30)
    uow.products.seed(listed(deps, "p-4"))                       # listed later: its term ends later
    assert await handlers.expire_listings(deps.clock.now(), deps) == []
    deps.clock.advance(days=3 * 365 - 30)
    assert await handlers.expire_listings(deps.clock.now(), deps) == ["p-1", "p-2"]
    assert [uow.products.items[p].status for p in ("p-1", "p-2", "p-3", "p-4")] == [
        Status.EXPIRED, Status.EXPIRED, Status.UNDER_REVIEW, Status.LISTED]
    assert uow.event_names() == ["ProductExpired", "ProductExpired"] and uow.committed == 2
    assert uow.products.items["p-1"].audit[-1].actor == "expiry-timer"
    assert await handlers.expire_listings(deps.clock.now(), deps) == [] and uow.committed == 2


async def test_a_suspended_listing_expires_too():
    uow, deps = world()
    product = listed(deps)
    product.suspend(OPERATOR, deps.clock.now(), "complaint")
    uow.products.seed(product)
    assert await handlers.handle(c.ExpireListings(OPERATOR, product.valid_until), deps) == ["p-1"]
    assert uow.products.items["p-1"].status == Status.EXPIRED


async def test_only_the_operator_expires_on_demand():
    uow, deps = world()
    product = listed(deps)
    uow.products.seed(product)
    with pytest.raises(Forbidden) as refused:
        await handlers.handle(c.ExpireListings(VENDOR, product.valid_until), deps)
    assert refused.value.field == "role" and uow.products.items["p-1"].status == Status.LISTED and uow.events == []
