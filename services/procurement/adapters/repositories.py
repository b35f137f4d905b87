"""MongoDB repositories of the procurement service."""

from pymongo import ASCENDING

from services.common.repository import Repository
from services.procurement.domain.claim import InsuranceClaim
from services.procurement.domain.demand import Award, Demand
from services.procurement.domain.matching import Suggestions
from services.procurement.domain.product import Product


def products(uow) -> Repository[Product]:
    return Repository(uow, "products", Product, "product_id", "product")


def demands(uow) -> Repository[Demand]:
    return Repository(uow, "demands", Demand, "demand_id", "demand")


def awards(uow) -> Repository[Award]:
    return Repository(uow, "awards", Award, "award_id", "award")


def suggestions(uow) -> Repository[Suggestions]:
    return Repository(uow, "suggestions", Suggestions, "demand_id", "suggestions")


def claims(uow) -> Repository[InsuranceClaim]:
    return Repository(uow, "insurance_claims", InsuranceClaim, "claim_id", "insurance claim")


async def create_indexes(db) -> None:
    await db["products"].create_index([("status", ASCENDING), ("valid_until", ASCENDING)])
    await db["products"].create_index([("tokens", ASCENDING)])
    await db["products"].create_index([("category", ASCENDING), ("region", ASCENDING)])
    await db["demands"].create_index([("status", ASCENDING), ("deadline", ASCENDING)])
