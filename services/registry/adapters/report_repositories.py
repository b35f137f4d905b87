"""MongoDB repositories of technology reports and saved searches, the reporting views (reads
of other collections: achievements of a funded project, the open-data export), and indexes."""

from collections.abc import AsyncIterator

from pymongo import ASCENDING

from services.common.repository import Repository
from services.registry.domain.saved_search import SavedSearch
from services.registry.domain.tech_report import TechReport

REGISTERED = "REGISTERED"


class TechReports(Repository[TechReport]):
    async def holders_for(self, project_code: str, achievement_ids: list[str]) -> list[str]:
        """The holder organisations of the reports filed for `project_code` or for one of
        `achievement_ids` (sorted, distinct)."""
        query = {"$or": [{"project_code": project_code}, {"achievement_id": {"$in": achievement_ids or ["-"]}}]}
        cursor = self.collection.find(query, {"holder": 1}, session=self.uow.session)
        return sorted({d["holder"] async for d in cursor})


class SavedSearches(Repository[SavedSearch]):
    """Documents carry `terms` (SavedSearch.index_terms()) beside the aggregate's fields: the
    index the AchievementRegistered subscription finds its candidates by."""

    async def add(self, aggregate: SavedSearch, unique_hint: str = "") -> None:
        await super().add(aggregate, unique_hint)
        await self._index(aggregate)

    async def save(self, aggregate: SavedSearch) -> None:
        await super().save(aggregate)
        await self._index(aggregate)

    async def _index(self, s: SavedSearch) -> None:
        await self.collection.update_one({"_id": s.saved_search_id}, {"$set": {"terms": s.index_terms()}},
                                         session=self.uow.session)

    async def active_of(self, owner: str) -> list[SavedSearch]:
        return await self.find({"owner": owner, "active": True}, sort=[("created_at", ASCENDING), ("_id", ASCENDING)])

    async def candidates(self, terms: list[str]) -> list[SavedSearch]:
        """Active searches sharing a term with `terms`, or with no text (filters only)."""
        return await self.find({"active": True, "$or": [{"terms": {"$in": terms}}, {"terms": []}]},
                               sort=[("created_at", ASCENDING), ("_id", ASCENDING)])


class ReportingViews:
    """Reads of achievements for obligations and the export; inside a unit of work (flagging an
    obligation) they read in its transaction, since the embedded server refuses another session then."""

    def __init__(self, uow):
        self.uow, self.db = uow, uow.db

    async def registered_for_project(self, project_code: str) -> list[str]:
        """Ids of the REGISTERED achievements carrying `project_code`, sorted."""
        cursor = self.db["achievements"].find({"funding.project_code": project_code, "status": REGISTERED},
                                              {"_id": 1}, session=self.uow.session)
        return sorted([d["_id"] async for d in cursor])

    async def registered_achievements(self, query: dict) -> AsyncIterator[dict]:
        """The achievement documents matching `query`, by registration number (a stream)."""
        return self.db["achievements"].find(query, sort=[("registration_number", ASCENDING), ("_id", ASCENDING)])


tech_reports = TechReports.store("tech_reports", TechReport, "report_id", "technology report")
saved_searches = SavedSearches.store("saved_searches", SavedSearch, "saved_search_id", "saved search")


def reporting(uow) -> ReportingViews:
    return ReportingViews(uow)


async def create_indexes(db) -> None:
    await db["tech_reports"].create_index([("holder", ASCENDING), ("created_at", ASCENDING)])
    await db["tech_reports"].create_index("achievement_id")
    await db["tech_reports"].create_index("project_code")
    await db["saved_searches"].create_index([("owner", ASCENDING), ("active", ASCENDING)])
    await db["saved_searches"].create_index([("active", ASCENDING), ("terms", ASCENDING)])
    await db["achievements"].create_index([("status", ASCENDING), ("registration_number", ASCENDING)])
