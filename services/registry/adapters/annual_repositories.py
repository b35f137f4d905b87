"""MongoDB repositories of annual reports, oversight lists and funded projects, with the
named queries their handlers use (the fakes in tests/unit/registry mirror each one)."""

from pymongo import ASCENDING

from services.common.keyset import one_of
from services.common.repository import Repository
from services.registry.domain.annual_report import AnnualReport
from services.registry.domain.obligation import FundedProject
from services.registry.domain.oversight import Oversight


class AnnualReports(Repository[AnnualReport]):
    async def of_year(self, year: int, supervisor: str = "") -> list[AnnualReport]:
        """The reports of the `year` cycle (of one supervisor's institutions, if given), by id."""
        query = {"year": year, **({"supervisor": supervisor} if supervisor else {})}
        return await self.find(query, sort=[("report_id", ASCENDING)])

    async def statuses(self, year: int) -> dict[str, str]:
        """organisation -> status of every report of the `year` cycle."""
        cursor = self.collection.find({"year": year}, {"organisation": 1, "status": 1}, session=self.uow.session)
        return {d["organisation"]: d["status"] async for d in cursor}


    async def queue(self, page, supervisor: str = "", last_day: str = "") -> tuple[list[AnnualReport], str]:
        """One page of the review queue by supervisor deadline (of `supervisor` if given; due on
        or before `last_day` if given)."""
        query: dict = {"status": one_of(page.states)}
        if supervisor:
            query["supervisor"] = supervisor
        if last_day:
            query["supervisor_deadline"] = {"$lte": last_day}
        return await self.page(query, "supervisor_deadline", page.page_size, page.cursor)


class Oversights(Repository[Oversight]):
    async def overseers_of(self, organisation: str) -> list[str]:
        """The supervising departments whose list holds `organisation` (one, or none)."""
        cursor = self.collection.find({"institutions": organisation}, {"_id": 1}, session=self.uow.session)
        return sorted([d["_id"] async for d in cursor])

    async def in_scope(self, supervisor: str = "") -> list[Oversight]:
        """Every oversight list (or the one of `supervisor`), by supervisor."""
        return await self.find({"_id": supervisor} if supervisor else {}, sort=[("_id", ASCENDING)])


class FundedProjects(Repository[FundedProject]):
    async def ended_before(self, day: str, holder: str = "", pending_only: bool = False) -> list[FundedProject]:
        """Projects whose end date is before `day` (YYYY-MM-DD), by code; of `holder` if given;
        only those not met yet if `pending_only` (records from before `met` existed count as not met)."""
        query: dict = {"end_date": {"$lt": day}}
        if holder:
            query["holder"] = holder
        if pending_only:
            query["met"] = {"$ne": True}
        return await self.find(query, sort=[("_id", ASCENDING)])


    async def queue(self, page, last_day: str = "") -> tuple[list[FundedProject], str]:
        """Projects flagged overdue, by end date (ending on or before `last_day` if given)."""
        query: dict = {"overdue": True, **({"end_date": {"$lte": last_day}} if last_day else {})}
        return await self.page(query, "end_date", page.page_size, page.cursor)


annual_reports = AnnualReports.store("annual_reports", AnnualReport, "report_id", "annual report")
oversights = Oversights.store("oversights", Oversight, "supervisor", "oversight list")
funded_projects = FundedProjects.store("funded_projects", FundedProject, "project_code", "funded project")


async def create_indexes(db) -> None:
    await db["annual_reports"].create_index([("year", ASCENDING), ("supervisor", ASCENDING)])
    await db["annual_reports"].create_index([("status", ASCENDING), ("supervisor_deadline", ASCENDING),
                                             ("_id", ASCENDING)])
    await db["annual_reports"].create_index([("supervisor", ASCENDING), ("status", ASCENDING),
                                             ("supervisor_deadline", ASCENDING), ("_id", ASCENDING)])
    await db["oversights"].create_index("institutions")
    await db["funded_projects"].create_index([("overdue", ASCENDING), ("end_date", ASCENDING), ("_id", ASCENDING)])
    await db["achievements"].create_index([("funding.project_code", ASCENDING), ("status", ASCENDING)])
