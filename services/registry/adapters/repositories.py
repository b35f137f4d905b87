"""MongoDB repositories of the registry (achievements, contracts, packages) with their named
queries, and the serial counters."""

from pymongo import ASCENDING, ReturnDocument

from services.common.keyset import one_of
from services.common.repository import Repository
from services.registry.domain.contract import TechnologyContract
from services.registry.domain.model import Achievement, Status
from services.registry.domain.package import AchievementPackage

QUEUE_SORT = {"REVIEW": "created_at", "MY_DRAFTS": "created_at",   # no due date: creation time
              "OBJECTIONS": "notice_ends_at", "NOTICES_ENDING": "notice_ends_at"}
LIVE = [s.value for s in Status if s not in (Status.REJECTED, Status.WITHDRAWN)]


class Achievements(Repository[Achievement]):
    async def duplicate_of(self, a: Achievement) -> str | None:
        """Another live achievement of the organisation with the same title and funding project code."""
        clash = await self.collection.find_one(
            {"organisation": a.organisation, "title": a.title, "funding.project_code": a.funding.project_code,
             "status": {"$in": LIVE}, "_id": {"$ne": a.achievement_id}}, {"_id": 1}, session=self.uow.session)
        return clash["_id"] if clash else None

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

    async def candidates(self, query: dict, limit: int) -> list[dict]:
        """Stored records (with their search terms) matching the filter query, for ranking."""
        cursor = self.collection.find(query, {"_id": 0}, limit=limit)
        return [d async for d in cursor]


class Contracts(Repository[TechnologyContract]):
    async def due(self, now) -> list[str]:
        """Filed, undecided contracts past their time limit and not flagged yet."""
        cursor = self.collection.find({"status": "FILED", "breached": False, "due_at": {"$lte": now}}, {"_id": 1})
        return [d["_id"] async for d in cursor]


def achievements(uow) -> Achievements:
    return Achievements(uow, "achievements", Achievement, "achievement_id", "achievement")


def contracts(uow) -> Contracts:
    return Contracts(uow, "contracts", TechnologyContract, "contract_id", "contract")


def packages(uow) -> Repository[AchievementPackage]:
    return Repository(uow, "packages", AchievementPackage, "package_id", "package")


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
    await db["achievements"].create_index("terms")
    await db["achievements"].create_index([("status", ASCENDING), ("created_at", ASCENDING), ("_id", ASCENDING)])
    await db["achievements"].create_index([("organisation", ASCENDING), ("status", ASCENDING),
                                           ("created_at", ASCENDING), ("_id", ASCENDING)])
    await db["contracts"].create_index([("status", ASCENDING), ("breached", ASCENDING), ("due_at", ASCENDING)])


