"""The registry's statistics read model: `stats_flows` cells keyed (month, field, from region,
to region) with a count and an amount in cents, kept from the deal events."""

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

    async def cells(self) -> list[dict]:
        return [d async for d in self.collection.find({}, {"_id": 0})]


def statistics(uow) -> Statistics:
    return Statistics(uow)
