"""MongoDB repositories of the registry, and the serial counters."""

from pymongo import ASCENDING, ReturnDocument

from services.common.repository import Repository
from services.registry.domain.contract import TechnologyContract
from services.registry.domain.model import Achievement
from services.registry.domain.package import AchievementPackage


def achievements(uow) -> Repository[Achievement]:
    return Repository(uow, "achievements", Achievement, "achievement_id", "achievement")


def contracts(uow) -> Repository[TechnologyContract]:
    return Repository(uow, "contracts", TechnologyContract, "contract_id", "contract")


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
    await db["contracts"].create_index([("status", ASCENDING), ("breached", ASCENDING), ("due_at", ASCENDING)])
