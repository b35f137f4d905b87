"""What a catalog search asks for, validated (pure). `matches(product)` is the rule; the
Mongo repository (adapters/repositories.py) writes the same rule as a query."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.common import money
from services.common.errors import InvalidInput, require
from services.procurement.domain import text
from services.procurement.domain.policy import REGIONS, Policy


@dataclass(frozen=True)
class CatalogFilter:
    words: list[str] = field(default_factory=list)   # every one must be among the product's tokens
    category: str = ""
    region: str = ""
    first_set: bool | None = None
    valid_on: datetime | None = None                  # listed then (LISTED or EXPIRED since); else LISTED now
    min_price: Decimal | None = None
    max_price: Decimal | None = None

    def matches(self, product) -> bool:
        if self.valid_on is not None:
            if not product.valid_on(self.valid_on):
                return False
        elif product.status != "LISTED":
            return False
        return (set(self.words) <= set(product.tokens)
                and (not self.category or product.category == self.category)
                and (not self.region or product.region == self.region)
                and (self.first_set is None or product.is_first_set == self.first_set)
                and (self.min_price is None or product.price_value >= self.min_price)
                and (self.max_price is None or product.price_value <= self.max_price))


def parse(policy: Policy, text_query: str = "", category: str = "", region: str = "", first_set: bool | None = None,
          valid_on: datetime | None = None, min_price: str = "", max_price: str = "") -> CatalogFilter:
    """The filter, refusing what no product could match by mistake (naming the field)."""
    words = text.tokens(text_query) if text_query.strip() else []
    if text_query.strip() and not words:
        raise InvalidInput("text has no searchable words", "text")
    require(not category or category in policy.categories, f"unknown category {category!r}", "category")
    require(not region or region in REGIONS, f"unknown region {region!r}", "region")

    def price(value: str, name: str) -> Decimal | None:
        return money.amount(value, name, policy.max_amount, allow_zero=True) if value else None
    return CatalogFilter(words, category, region, first_set, valid_on, price(min_price, "min_price"),
                         price(max_price, "max_price"))
