"""Read-side queries of the procurement service (documents, not aggregates): what matching
ranks, and the achievements mirrored from the registry. `views(uow)` is attached to every
unit of work as `uow.views`; inside a transaction (the matching consumer) they read in it."""

from datetime import datetime

from services.procurement.adapters import read_models


def _plain(docs: list[dict]) -> list[dict]:
    for d in docs:
        d.pop("_id", None)
    return docs


class Views:
    def __init__(self, uow):
        self.uow = uow

    async def _find(self, collection: str, query: dict) -> list[dict]:
        return _plain(await self.uow.db[collection].find(query, session=self.uow.session).to_list())

    async def open_demands(self, now: datetime, demand_ids: list[str] | None = None) -> list[dict]:
        """Open demands whose deadline is after `now` (those of `demand_ids` only, if given)."""
        query: dict = {"status": "OPEN", "deadline": {"$gt": now}}
        if demand_ids is not None:
            query["_id"] = {"$in": demand_ids}
        return await self._find("demands", query)

    async def listed_products(self, now: datetime) -> list[dict]:
        return await self._find("products", {"status": "LISTED", "valid_until": {"$gt": now}})

    async def listed_product(self, product_id: str, now: datetime) -> dict | None:
        """The product if it is listed and valid at `now` (what matching may suggest), else None.
        Read by `_id` alone and checked here: one document on any store (the embedded server
        answers only a single equality without scanning the collection)."""
        doc = await self.uow.db["products"].find_one({"_id": product_id}, session=self.uow.session)
        if doc is None or doc.get("status") != "LISTED" or not doc.get("valid_until") or doc["valid_until"] <= now:
            return None
        return _plain([doc])[0]

    async def registered_achievements(self) -> list[dict]:
        return await self._find(read_models.achievements.collection, {"status": "REGISTERED"})

    async def keep_achievement(self, message, envelope) -> None:
        """Bring the mirror up to the event's snapshot (newer versions only) in this unit of work."""
        await read_models.achievements.apply(message, envelope, self.uow)

    async def known_achievement(self, achievement_id: str) -> dict | None:
        return await read_models.achievements.get(self.uow.db, achievement_id)


def views(uow) -> Views:
    return Views(uow)
