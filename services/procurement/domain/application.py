"""A new catalog application, validated whole before anything is written (pure)."""

from datetime import datetime

from services.common import money
from services.common.errors import InvalidInput, require
from services.procurement.domain import events, text
from services.procurement.domain.policy import REGIONS, Policy
from services.procurement.domain.product import Product
from services.procurement.domain.records import Indicator


def validate(policy: Policy, name: str, category: str, description: str, price: str, region: str,
             indicators: list[dict], achievement_ids: list[str]) -> None:
    require(0 < len(name.strip()) <= 200, "name is required (at most 200 characters)", "name")
    require(category in policy.categories, f"unknown category {category!r}", "category")
    require(len(description) <= 5000, "description is at most 5000 characters", "description")
    require(region in REGIONS, f"region must be one of {', '.join(REGIONS)}, got {region!r}", "region")
    money.amount(price, "price", policy.max_amount)
    require(len(indicators) <= 50, "at most 50 technical indicators", "indicators")
    for i in indicators:
        require(bool(i.get("name", "").strip()) and bool(i.get("value", "").strip()),
                "every technical indicator needs a name and a value", "indicators")
    require(0 < len(achievement_ids) <= 20, "cite 1 to 20 registered achievements", "achievement_ids")
    if len(set(achievement_ids)) != len(achievement_ids):
        raise InvalidInput("achievement_ids has duplicates", "achievement_ids")


def apply(product_id: str, actor, now: datetime, policy: Policy, *, name: str, category: str,
          description: str, price: str, region: str, indicators: list[dict], achievement_ids: list[str],
          field: str) -> Product:
    validate(policy, name, category, description, price, region, indicators, achievement_ids)
    value = money.amount(price, "price", policy.max_amount)
    product = Product(product_id=product_id, name=name.strip(), category=category, description=description,
                      price=str(value), price_value=float(value), region=region,
                      organisation=actor.organisation, applicant=actor.subject, created_at=now, updated_at=now,
                      indicators=[Indicator(**i) for i in indicators], achievement_ids=list(achievement_ids),
                      field=field, tokens=text.tokens(name, description, *(i["name"] for i in indicators)))
    product.transition(events.ProductApplied, "apply", actor, now, note="submitted for expert review")
    return product
