"""MongoDB repositories and indexes of the incubation service: the generic repository
plus the named queries handlers use (no query language leaves this module)."""

from datetime import datetime

from pymongo import ASCENDING

from services.common.keyset import one_of
from services.common.repository import Repository
from services.incubation.domain.cases import OPEN, Case
from services.incubation.domain.incubators import Incubator
from services.incubation.domain.stations import Station, StationStatus


class StationRepository(Repository[Station]):
    async def reporting(self, year: int) -> list[Station]:
        """Active or suspended stations that filed a report for `year`."""
        return await self.find({"status": {"$in": [StationStatus.ACTIVE.value, StationStatus.SUSPENDED.value]},
                                "reports.year": year})


    async def queue(self, page) -> tuple[list[Station], str]:
        query = {"status": one_of(page.states), **_region(page, "region")}
        return await self.page(query, "created_at", page.page_size, page.cursor)


def _region(page, field: str) -> dict:
    return {field: page.region} if page.region else {}


class IncubatorRepository(Repository[Incubator]):
    async def matching(self, region: str = "", sponsor: str = "") -> list[Incubator]:
        query = {k: v for k, v in (("region", region), ("sponsor", sponsor)) if v}
        return await self.find(query)


class CaseRepository(Repository[Case]):
    async def due_for_sla(self, now: datetime) -> list[str]:
        """Ids of open cases whose warning or escalation may be due at `now` (a superset is
        harmless: `Case.check_sla` decides)."""
        cursor = self.collection.find({"stage": {"$in": [s.value for s in OPEN]}, "warn_at": {"$lte": now}},
                                      {"stage": 1, "warned_stage": 1, "escalated_stage": 1, "stage_due_at": 1})
        return [d["_id"] async for d in cursor
                if d.get("escalated_stage") != d["stage"]
                and (d.get("warned_stage") != d["stage"] or d["stage_due_at"] <= now)]


    async def queue(self, page, station_organisation: str = "", due_before: datetime | None = None
                    ) -> tuple[list[Case], str]:
        """Cases in the page's stages by their stage's due date (of one station's host
        organisation, due before `due_before`, if given)."""
        query: dict = {"stage": one_of(page.states), **_region(page, "regions")}
        if station_organisation:
            query["station_organisation"] = station_organisation
        if due_before is not None:
            query["stage_due_at"] = {"$lt": due_before}
        return await self.page(query, "stage_due_at", page.page_size, page.cursor)


stations = StationRepository.store("stations", Station, "station_id", "station")
incubators = IncubatorRepository.store("incubators", Incubator, "incubator_id", "incubator")
cases = CaseRepository.store("cases", Case, "case_id", "case")


async def create_indexes(db) -> None:
    await db["stations"].create_index([("status", ASCENDING), ("region", ASCENDING)])
    await db["incubators"].create_index([("region", ASCENDING), ("sponsor", ASCENDING)])
    await db["cases"].create_index([("station_id", ASCENDING), ("stage", ASCENDING)])
    await db["cases"].create_index([("stage", ASCENDING), ("stage_due_at", ASCENDING)])
    await db["cases"].create_index([("regions", ASCENDING)])
    # work queues: each an index range in (filter, sort key, _id) order
    await db["stations"].create_index([("status", ASCENDING), ("created_at", ASCENDING), ("_id", ASCENDING)])
    await db["cases"].create_index([("stage", ASCENDING), ("stage_due_at", ASCENDING), ("_id", ASCENDING)])
    await db["cases"].create_index([("station_organisation", ASCENDING), ("stage", ASCENDING),
                                    ("stage_due_at", ASCENDING), ("_id", ASCENDING)])
