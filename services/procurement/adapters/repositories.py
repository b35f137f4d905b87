"""MongoDB repositories and indexes of the procurement service: the generic repository plus
the named queries handlers use (no query language leaves this module)."""

from datetime import datetime

from pymongo import ASCENDING

from services.common.keyset import one_of
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

    async def scoring_queue(self, page, expert: str, organisation: str) -> tuple[list[Product], str]:
        """Applications under review not scored by `expert` nor of their `organisation`, oldest first."""
        query = {"status": one_of(page.states), "reviews.expert": {"$ne": expert},
                 "organisation": {"$ne": organisation}, **_region(page)}
        return await self.page(query, "created_at", page.page_size, page.cursor)

    async def first_set_queue(self, page) -> tuple[list[Product], str]:
        query = {"first_set.status": one_of(page.states), **_region(page)}
        return await self.page(query, "created_at", page.page_size, page.cursor)

    async def search(self, f: CatalogFilter, limit: int, after: str = "") -> list[Product]:
        """Up to `limit` products matching `f`, in id order, after the id `after`."""
        query = catalog_query(f)
        if after:
            query["_id"] = {"$gt": after}
        return await self.find(query, sort=[("_id", 1)], limit=limit)


def _region(page) -> dict:
    return {"region": page.region} if page.region else {}


class Claims(Repository[InsuranceClaim]):
    async def queue(self, page) -> tuple[list[InsuranceClaim], str]:
        query = {"status": one_of(page.states), **_region(page)}
        return await self.page(query, "created_at", page.page_size, page.cursor)


class Demands(Repository[Demand]):
    async def queue(self, page, organisation: str) -> tuple[list[Demand], str]:
        """The buyer unit's demands by deadline (due before `page.due_before` if given)."""
        query = {"organisation": organisation, "status": one_of(page.states), **_region(page)}
        if page.due_before is not None:
            query["deadline"] = {"$lt": page.due_before}
        return await self.page(query, "deadline", page.page_size, page.cursor)


class Awards(Repository[Award]):
    async def queue(self, page, organisation: str) -> tuple[list[Award], str]:
        """The buyer unit's awards, oldest first; `page.region`: the buyer's or the vendor's."""
        query: dict = {"buyer_organisation": organisation}
        if page.region:
            query["$or"] = [{"buyer_region": page.region}, {"vendor_region": page.region}]
        return await self.page(query, "created_at", page.page_size, page.cursor)


products = ProductRepository.store("products", Product, "product_id", "product")
demands = Demands.store("demands", Demand, "demand_id", "demand")
awards = Awards.store("awards", Award, "award_id", "award")
suggestions = Repository.store("suggestions", Suggestions, "demand_id", "suggestions")
claims = Claims.store("insurance_claims", InsuranceClaim, "claim_id", "insurance claim")


async def create_indexes(db) -> None:
    await db["products"].create_index([("status", ASCENDING), ("valid_until", ASCENDING)])
    await db["products"].create_index([("tokens", ASCENDING)])
    await db["products"].create_index([("category", ASCENDING), ("region", ASCENDING)])
    await db["demands"].create_index([("status", ASCENDING), ("deadline", ASCENDING)])
    # work queues: each an index range in (filter, sort key, _id) order
    await db["products"].create_index([("status", ASCENDING), ("created_at", ASCENDING), ("_id", ASCENDING)])
    await db["products"].create_index([("first_set.status", ASCENDING), ("created_at", ASCENDING),
                                       ("_id", ASCENDING)])
    await db["insurance_claims"].create_index([("status", ASCENDING), ("created_at", ASCENDING),
                                               ("_id", ASCENDING)])
    await db["demands"].create_index([("organisation", ASCENDING), ("status", ASCENDING), ("deadline", ASCENDING),
                                      ("_id", ASCENDING)])
    await db["awards"].create_index([("buyer_organisation", ASCENDING), ("created_at", ASCENDING),
                                     ("_id", ASCENDING)])
