"""MongoDB repositories of technology reports and saved searches, and their indexes."""

from pymongo import ASCENDING

from services.common.repository import Repository
from services.registry.domain.saved_search import SavedSearch
from services.registry.domain.tech_report import TechReport


def tech_reports(uow) -> Repository[TechReport]:
    return Repository(uow, "tech_reports", TechReport, "report_id", "technology report")


def saved_searches(uow) -> Repository[SavedSearch]:
    return Repository(uow, "saved_searches", SavedSearch, "saved_search_id", "saved search")


async def create_indexes(db) -> None:
    await db["tech_reports"].create_index([("holder", ASCENDING), ("created_at", ASCENDING)])
    await db["tech_reports"].create_index("achievement_id")
    await db["tech_reports"].create_index("project_code")
    await db["saved_searches"].create_index([("owner", ASCENDING), ("active", ASCENDING)])
    await db["saved_searches"].create_index([("active", ASCENDING), ("terms", ASCENDING)])
    await db["achievements"].create_index([("status", ASCENDING), ("registration_number", ASCENDING)])
