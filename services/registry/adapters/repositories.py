"""MongoDB repositories of the registry."""

from pymongo import ASCENDING

from services.common.repository import Repository
from services.registry.domain.model import Achievement


def achievements(uow) -> Repository[Achievement]:
    return Repository(uow, "achievements", Achievement, "achievement_id", "achievement")


async def create_indexes(db) -> None:
    await db["achievements"].create_index([("organisation", ASCENDING), ("status", ASCENDING)])
