"""Station handlers: lifecycle, yearly reports, ranking and dashboard."""

import uuid
from decimal import Decimal

from services.common.errors import Forbidden, NotFound, require
from services.incubation.domain import commands, stations, vocab
from services.incubation.domain.cases import OPEN, Stage
from services.incubation.service_layer import paging
from services.incubation.service_layer.deps import Deps
from services.incubation.service_layer.transact import transact


async def apply_station(cmd: commands.ApplyStation, deps: Deps) -> stations.Station:
    if not cmd.actor.organisation:
        raise Forbidden("only a member of a host organisation applies for a station", "organisation")
    async def work(uow):
        station = stations.apply(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.name, cmd.region,
                                 list(cmd.services), cmd.description)
        await deps.stations(uow).add(station)
        return station
    return await transact(deps, work)


async def change_station(cmd: commands.ChangeStation, deps: Deps) -> stations.Station:
    if not cmd.actor.has("operator"):
        raise Forbidden(f"only the platform operator may {cmd.action} a station", "station_id")
    async def work(uow):
        repo = deps.stations(uow)
        station = await repo.get(cmd.station_id)
        station.move(cmd.action, cmd.actor.subject, deps.clock.now(), cmd.note)
        await repo.save(station)
        return station
    return await transact(deps, work)


async def file_station_report(cmd: commands.FileStationReport, deps: Deps) -> stations.Station:
    async def work(uow):
        repo = deps.stations(uow)
        station = await repo.get(cmd.station_id)
        own = cmd.actor.has("station") and cmd.actor.organisation == station.host_organisation
        if not (own or cmd.actor.has("operator")):
            raise Forbidden("only the station's host organisation or the operator files its report", "station_id")
        station.file_report(cmd.year, cmd.services_delivered, cmd.enterprises_served, cmd.achievements_landed,
                            cmd.actor.subject, deps.clock.now())
        await repo.save(station)
        return station
    return await transact(deps, work)


async def get_station(cmd: commands.GetStation, deps: Deps) -> stations.Station:
    async with deps.uow() as uow:
        return await deps.stations(uow).get(cmd.station_id)


async def list_stations(cmd: commands.ListStations, deps: Deps) -> dict:
    query = {}
    if cmd.region:
        require(cmd.region in vocab.REGIONS, f"unknown region {cmd.region!r}", "region")
        query["region"] = cmd.region
    if cmd.status:
        require(cmd.status in set(stations.StationStatus), f"unknown station status {cmd.status!r}", "status")
        query["status"] = cmd.status
    items, cursor = await paging.page(deps.db["stations"], query, cmd.page_size, cmd.cursor)
    return {"items": items, "next_cursor": cursor}


async def rank_stations(cmd: commands.RankStations, deps: Deps) -> dict:
    now = deps.clock.now()
    require(2000 <= cmd.year <= now.year, f"year must be between 2000 and {now.year}", "year")
    async with deps.uow() as uow:
        found = await deps.stations(uow).find({"status": {"$in": ["ACTIVE", "SUSPENDED"]},
                                               "reports.year": cmd.year})
    scored = [(stations.score(s, cmd.year, deps.ranking_weights), s) for s in found]
    scored = sorted(((sc, s) for sc, s in scored if sc is not None), key=lambda p: (-p[0], p[1].name, p[1].station_id))
    entries = [{"rank": i + 1, "station_id": s.station_id, "name": s.name, "region": s.region, "score": sc,
                "report": s.report(cmd.year), "services_offered": len(s.services)}
               for i, (sc, s) in enumerate(scored)]
    return {"year": cmd.year, "weights": deps.ranking_weights, "entries": entries}


async def station_dashboard(cmd: commands.GetStationDashboard, deps: Deps) -> dict:
    async with deps.uow() as uow:
        station = await deps.stations(uow).get(cmd.station_id)
    own = cmd.actor.has("station") and cmd.actor.organisation == station.host_organisation
    if not (own or cmd.actor.has("operator", "partner")):
        raise NotFound(f"station dashboard {cmd.station_id} is not visible to you", "station_id")
    now = deps.clock.now()
    by_stage = dict.fromkeys([s.value for s in Stage], 0)
    open_cases = overdue = escalations = landed = 0
    amount = Decimal("0.00")
    async for doc in deps.db["cases"].find({"station_id": cmd.station_id},
                                           {"stage": 1, "stage_due_at": 1, "escalations": 1, "amount": 1}):
        by_stage[doc["stage"]] += 1
        escalations += doc.get("escalations", 0)
        if doc["stage"] in OPEN:
            open_cases += 1
            if doc.get("stage_due_at") and doc["stage_due_at"] < now:
                overdue += 1
        if doc.get("amount"):
            landed += 1
            amount += Decimal(doc["amount"])
    return {"station_id": station.station_id, "name": station.name, "status": station.status.value,
            "cases_by_stage": by_stage, "open_cases": open_cases, "overdue_cases": overdue,
            "escalations": escalations, "landed_cases": landed, "landed_amount": str(amount)}
