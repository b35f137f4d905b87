"""MongoDB repositories of annual reports, oversight lists and funded projects."""

from pymongo import ASCENDING

from services.common.repository import Repository
from services.registry.domain.annual_report import AnnualReport
from services.registry.domain.obligation import FundedProject
from services.registry.domain.oversight import Oversight


def annual_reports(uow) -> Repository[AnnualReport]:
    return Repository(uow, "annual_reports", AnnualReport, "report_id", "annual report")


def oversights(uow) -> Repository[Oversight]:
    return Repository(uow, "oversights", Oversight, "supervisor", "oversight list")


def funded_projects(uow) -> Repository[FundedProject]:
    return Repository(uow, "funded_projects", FundedProject, "project_code", "funded project")


async def create_indexes(db) -> None:
    await db["annual_reports"].create_index([("year", ASCENDING), ("supervisor", ASCENDING)])
    await db["oversights"].create_index("institutions")
    await db["funded_projects"].create_index([("overdue", ASCENDING), ("end_date", ASCENDING)])
    await db["achievements"].create_index([("funding.project_code", ASCENDING), ("status", ASCENDING)])
