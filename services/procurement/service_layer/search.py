"""Catalog search for buyers: jieba tokens + filters, cursor pagination (by product id)."""

from services.common.errors import require
from services.procurement.domain import catalog_filter, commands
from services.procurement.domain.product import Product
from services.procurement.service_layer.deps import Deps


async def search_products(cmd: commands.SearchProducts, uow, deps: Deps) -> tuple[list[Product], str]:
    require(0 <= cmd.page_size <= 200, "page_size must be between 1 and 200", "page_size")
    size = cmd.page_size or 20
    wanted = catalog_filter.parse(deps.policy, cmd.text, cmd.category, cmd.region, cmd.first_set, cmd.valid_on,
                                  cmd.min_price, cmd.max_price)
    found = await uow.products.search(wanted, size + 1, cmd.cursor)
    page = found[:size]
    return page, (page[-1].product_id if len(found) > size else "")
