"""The registry's statistics read model: `stats_flows` cells keyed (month, field, from region,
to region) with a count and an amount in cents, kept from the deal events."""

from pymongo import ASCENDING

from services.registry.domain.statistics import Deal


class Statistics:
    def __init__(self, uow):
        self.uow = uow
        self.collection = uow.db["stats_flows"]

    async def count(self, deal: Deal) -> None:
        """Add one deal to its cell (in the caller's transaction, with the inbox mark)."""
        await self.collection.update_one(
            {"_id": f"{deal.month}|{deal.field}|{deal.from_region}|{deal.to_region}"},
            {"$inc": {"count": 1, "cents": deal.cents},
             "$set": {"month": deal.month, "field": deal.field, "from_region": deal.from_region,
                      "to_region": deal.to_region}}, upsert=True, session=self.uow.session)

    async def cells(self, month_from: str = "", month_to: str = "", field: str = "") -> list[dict]:
        """The cells of the months and field asked for: the filter runs in the store (on the
        (month, field) index), so a read returns only the cells its answer is made of."""
        query: dict = {"field": field} if field else {}
        months = {k: v for k, v in (("$gte", month_from), ("$lte", month_to)) if v}
        if months:
            query["month"] = months
        return [d async for d in self.collection.find(query, {"_id": 0})]


async def create_indexes(db) -> None:
    await db["stats_flows"].create_index([("month", ASCENDING), ("field", ASCENDING)])


def statistics(uow) -> Statistics:
    return Statistics(uow)
