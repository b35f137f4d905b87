"""MongoDB repositories and indexes of the procurement service: the generic repository plus
the named queries handlers use (no query language leaves this module)."""

from datetime import datetime

from pymongo import ASCENDING

from services.common.repository import Repository
from services.procurement.domain.catalog_filter import CatalogFilter
from services.procurement.domain.claim import InsuranceClaim
from services.procurement.domain.demand import Award, Demand
from services.procurement.domain.matching import Suggestions
from services.procurement.domain.product import Product, Status

EXPIRING = [Status.LISTED.value, Status.SUSPENDED.value]


def catalog_query(f: CatalogFilter) -> dict:
    """The Mongo form of `CatalogFilter.matches` (keep the two the same rule)."""
    query: dict = {"status": Status.LISTED.value}
    if f.words:
        query["tokens"] = {"$all": f.words}
    query |= {k: v for k, v in (("category", f.category), ("region", f.region)) if v}
    if f.first_set is not None:
        query["is_first_set"] = f.first_set
    if f.valid_on is not None:
        query |= {"status": {"$in": [Status.LISTED.value, Status.EXPIRED.value]},
                  "listed_at": {"$lte": f.valid_on}, "valid_until": {"$gt": f.valid_on}}
    price = {op: float(v) for op, v in (("$gte", f.min_price), ("$lte", f.max_price)) if v is not None}
    if price:
        query["price_value"] = price
    return query


class ProductRepository(Repository[Product]):
    async def due_to_expire(self, now: datetime) -> list[str]:
        """Ids of listed or suspended products whose term has ended at `now`, in id order."""
        cursor = self.collection.find({"status": {"$in": EXPIRING}, "valid_until": {"$lte": now}}, {"_id": 1})
        return [d["_id"] async for d in cursor.sort("_id", 1)]

    async def search(self, f: CatalogFilter, limit: int, after: str = "") -> list[Product]:
        """Up to `limit` products matching `f`, in id order, after the id `after`."""
        query = catalog_query(f)
        if after:
            query["_id"] = {"$gt": after}
        return await self.find(query, sort=[("_id", 1)], limit=limit)


def products(uow) -> ProductRepository:
    return ProductRepository(uow, "products", Product, "product_id", "product")


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
