"""MongoDB repositories of the registry (achievements, contracts, packages) with their named
queries, and the serial counters."""

from pymongo import ASCENDING, ReturnDocument

from services.common.keyset import one_of
from services.common.repository import Repository
from services.registry.adapters import search_index, title_claims
from services.registry.domain.contract import TechnologyContract
from services.registry.domain.model import Achievement, Status
from services.registry.domain.package import AchievementPackage

QUEUE_SORT = {"REVIEW": "created_at", "MY_DRAFTS": "created_at",   # no due date: creation time
              "OBJECTIONS": "notice_ends_at", "NOTICES_ENDING": "notice_ends_at"}


class Achievements(Repository[Achievement]):
    """Every add and save also brings the achievement's search postings and its title claim up to
    date (same transaction)."""

    def __init__(self, uow, *args):
        super().__init__(uow, *args)
        self.index = search_index.SearchIndex(uow)
        self.claims = title_claims.TitleClaims(uow)
        self._indexed: dict[str, tuple | None] = {}
        self._claimed: dict[str, str | None] = {}

    def _from_doc(self, doc: dict) -> Achievement:
        a = super()._from_doc(doc)
        self._indexed[a.achievement_id] = search_index.indexed(a)
        self._claimed[a.achievement_id] = title_claims.claimed(a)
        return a

    async def add(self, aggregate: Achievement, unique_hint: str = "") -> None:
        await super().add(aggregate, unique_hint)
        await self._reindex(aggregate, None)

    async def save(self, aggregate: Achievement) -> None:
        await super().save(aggregate)
        await self._reindex(aggregate, self._indexed.get(aggregate.achievement_id))

    async def _reindex(self, a: Achievement, before) -> None:
        after = search_index.indexed(a)
        await self.index.sync(a.achievement_id, before, after)
        self._indexed[a.achievement_id] = after
        claim = title_claims.claimed(a)
        await self.claims.sync(a.achievement_id, self._claimed.get(a.achievement_id), claim)
        self._claimed[a.achievement_id] = claim

    async def duplicate_of(self, a: Achievement) -> str | None:
        """Another live achievement of the organisation with the same title and funding project code;
        if there is none, `a` takes them in this unit of work."""
        return await self.claims.take(a)

    async def notices_due(self, now) -> list[str]:
        """In notice with the notice ended by `now`, oldest first (a read outside any transaction)."""
        cursor = self.collection.find({"status": Status.IN_NOTICE.value, "notice_ends_at": {"$lte": now}},
                                      {"_id": 1}, sort=[("notice_ends_at", 1)])
        return [d["_id"] async for d in cursor]

    async def queue(self, page, organisations: list[str] | None = None) -> tuple[list[Achievement], str]:
        """One page of a work queue (services.common.queues.Page), of `organisations` if given."""
        query: dict = {"status": one_of(page.states)}
        if page.queue == "OBJECTIONS":
            query["objections.status"] = "OPEN"
        if organisations is not None:
            query["organisation"] = {"$in": organisations}
        if page.region:
            query["region"] = page.region
        sort = QUEUE_SORT[page.queue]
        if page.due_before is not None:
            query[sort] = {"$lt": page.due_before}
        return await self.page(query, sort, page.page_size, page.cursor)

    async def ranked(self, terms: list[str], query: dict, n: int) -> list:
        """The n best public achievements for the search terms among those matching the filter query."""
        return await self.index.top(terms, query, n)

    async def by_trl(self, query: dict, skip: int, limit: int) -> list[dict]:
        """Stored records matching the filter query, higher TRL first then by id (a search without terms)."""
        cursor = self.collection.find(query, {"_id": 0}, sort=[("trl", -1), ("achievement_id", 1)], skip=skip,
                                      limit=limit)
        return [d async for d in cursor]


class Contracts(Repository[TechnologyContract]):
    async def due(self, now) -> list[str]:
        """Filed, undecided contracts past their time limit and not flagged yet."""
        cursor = self.collection.find({"status": "FILED", "breached": False, "due_at": {"$lte": now}}, {"_id": 1})
        return [d["_id"] async for d in cursor]


achievements = Achievements.store("achievements", Achievement, "achievement_id", "achievement")
contracts = Contracts.store("contracts", TechnologyContract, "contract_id", "contract")
packages = Repository.store("packages", AchievementPackage, "package_id", "package")


class Counters:
    """Named monotonically increasing serials; `next` runs inside the caller's transaction,
    so an aborted registration does not consume a number."""

    def __init__(self, uow):
        self.uow = uow
        self.collection = uow.db["counters"]

    async def next(self, key: str) -> int:
        doc = await self.collection.find_one_and_update(
            {"_id": key}, {"$inc": {"value": 1}}, upsert=True, return_document=ReturnDocument.AFTER,
            session=self.uow.session)
        return int(doc["value"])


def counters(uow) -> Counters:
    return Counters(uow)


async def create_indexes(db) -> None:
    await db["achievements"].create_index([("organisation", ASCENDING), ("status", ASCENDING)])
    await db["achievements"].create_index([("status", ASCENDING), ("notice_ends_at", ASCENDING)])
    await db["achievements"].create_index([("status", ASCENDING), ("trl", -1), ("achievement_id", ASCENDING)])
    await db["achievements"].create_index([("status", ASCENDING), ("created_at", ASCENDING), ("_id", ASCENDING)])
    await db["achievements"].create_index([("organisation", ASCENDING), ("status", ASCENDING),
                                           ("created_at", ASCENDING), ("_id", ASCENDING)])
    await search_index.create_indexes(db)
    await title_claims.create_indexes(db)
    await db["contracts"].create_index([("status", ASCENDING), ("breached", ASCENDING), ("due_at", ASCENDING)])


