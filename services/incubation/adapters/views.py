"""Read-side queries of the incubation service (documents, not aggregates): pages of
stations and cases, a station's case figures, known achievements. Reads outside any
transaction; `views(uow)` is attached to every unit of work as `uow.views`."""

from datetime import datetime

from services.incubation.adapters import paging, read_models
from services.incubation.domain.cases import OPEN


def case_scope(actor) -> dict:
    """The query form of `Case.visible_to(actor)` (keep the two the same rule)."""
    if actor.has("operator", "system"):
        return {}
    if actor.has("partner"):
        return {"regions": actor.region}
    return {"$or": [{"holder.organisation": actor.organisation}, {"receiver.organisation": actor.organisation},
                    {"station_organisation": actor.organisation}]}


class Views:
    def __init__(self, db):
        self.db = db

    async def station_page(self, page_size: int, cursor: str, region: str = "", status: str = "") -> dict:
        query = {k: v for k, v in (("region", region), ("status", status)) if v}
        items, next_cursor = await paging.page(self.db["stations"], query, page_size, cursor)
        return {"items": items, "next_cursor": next_cursor}

    async def case_page(self, actor, page_size: int, cursor: str, station_id: str = "", stage: str = "",
                        region: str = "", overdue_at: datetime | None = None) -> dict:
        query: list[dict] = [case_scope(actor)]
        query += [{k: v} for k, v in (("station_id", station_id), ("stage", stage), ("regions", region)) if v]
        if overdue_at is not None:
            query.append({"stage": {"$in": [s.value for s in OPEN]}, "stage_due_at": {"$lt": overdue_at}})
        items, next_cursor = await paging.page(self.db["cases"], {"$and": query}, page_size, cursor)
        return {"items": items, "next_cursor": next_cursor}

    async def station_case_figures(self, station_id: str) -> list[dict]:
        """Per case of the station: stage, stage_due_at, escalations, amount."""
        cursor = self.db["cases"].find({"station_id": station_id},
                                       {"_id": 0, "stage": 1, "stage_due_at": 1, "escalations": 1, "amount": 1})
        return await cursor.to_list()

    async def known_achievement(self, achievement_id: str) -> dict | None:
        return await read_models.achievements.get(self.db, achievement_id)


def views(uow) -> Views:
    return Views(uow.db)
