"""MongoDB repositories and indexes of the incubation service."""

from pymongo import ASCENDING

from services.common.repository import Repository
from services.incubation.domain.cases import Case
from services.incubation.domain.incubators import Incubator
from services.incubation.domain.stations import Station


def stations(uow) -> Repository[Station]:
    return Repository(uow, "stations", Station, "station_id", "station")


def incubators(uow) -> Repository[Incubator]:
    return Repository(uow, "incubators", Incubator, "incubator_id", "incubator")


def cases(uow) -> Repository[Case]:
    return Repository(uow, "cases", Case, "case_id", "case")


async def create_indexes(db) -> None:
    await db["stations"].create_index([("status", ASCENDING), ("region", ASCENDING)])
    await db["incubators"].create_index([("region", ASCENDING), ("sponsor", ASCENDING)])
    await db["cases"].create_index([("station_id", ASCENDING), ("stage", ASCENDING)])
    await db["cases"].create_index([("stage", ASCENDING), ("stage_due_at", ASCENDING)])
    await db["cases"].create_index([("regions", ASCENDING)])
