"""Catalog search for buyers: jieba tokens + filters, cursor pagination (by product id)."""

from services.common.errors import InvalidInput
from services.procurement.domain import commands, money, text
from services.procurement.domain.policy import REGIONS
from services.procurement.domain.product import Product
from services.procurement.service_layer.deps import Deps


def query_of(cmd: commands.SearchProducts, deps: Deps) -> dict:
    query: dict = {"status": "LISTED"}
    if cmd.text.strip():
        words = text.tokens(cmd.text)
        if not words:
            raise InvalidInput("text has no searchable words", "text")
        query["tokens"] = {"$all": words}
    if cmd.category:
        if cmd.category not in deps.policy.categories:
            raise InvalidInput(f"unknown category {cmd.category!r}", "category")
        query["category"] = cmd.category
    if cmd.region:
        if cmd.region not in REGIONS:
            raise InvalidInput(f"unknown region {cmd.region!r}", "region")
        query["region"] = cmd.region
    if cmd.first_set is not None:
        query["is_first_set"] = cmd.first_set
    if cmd.valid_on is not None:
        query["status"] = {"$in": ["LISTED", "EXPIRED"]}
        query["listed_at"] = {"$lte": cmd.valid_on}
        query["valid_until"] = {"$gt": cmd.valid_on}
    price: dict = {}
    if cmd.min_price:
        price["$gte"] = float(money.amount(cmd.min_price, "min_price", deps.policy.max_amount, allow_zero=True))
    if cmd.max_price:
        price["$lte"] = float(money.amount(cmd.max_price, "max_price", deps.policy.max_amount, allow_zero=True))
    if price:
        query["price_value"] = price
    if cmd.cursor:
        query["_id"] = {"$gt": cmd.cursor}
    return query


async def search_products(cmd: commands.SearchProducts, deps: Deps) -> tuple[list[Product], str]:
    if not 0 <= cmd.page_size <= 200:
        raise InvalidInput("page_size must be between 1 and 200", "page_size")
    size = cmd.page_size or 20
    async with deps.uow() as uow:
        found = await deps.products(uow).find(query_of(cmd, deps), sort=[("_id", 1)], limit=size + 1)
    page = found[:size]
    return page, (page[-1].product_id if len(found) > size else "")
