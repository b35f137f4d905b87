"""Station handlers: lifecycle, yearly reports, ranking and dashboard."""

import uuid
from decimal import Decimal

from services.common.errors import Forbidden, NotFound, require
from services.incubation.domain import commands, stations, vocab
from services.incubation.domain.cases import OPEN, Stage
from services.incubation.service_layer.deps import Deps


async def apply_station(cmd: commands.ApplyStation, uow, deps: Deps) -> stations.Station:
    if not cmd.actor.organisation:
        raise Forbidden("only a member of a host organisation applies for a station", "organisation")
    station = stations.apply(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.name, cmd.region,
                             list(cmd.services), cmd.description)
    await uow.stations.add(station)
    return station


async def change_station(cmd: commands.ChangeStation, uow, deps: Deps) -> stations.Station:
    if not cmd.actor.has("operator"):
        raise Forbidden(f"only the platform operator may {cmd.action} a station", "station_id")
    station = await uow.stations.get(cmd.station_id)
    station.move(cmd.action, cmd.actor.subject, deps.clock.now(), cmd.note)
    await uow.stations.save(station)
    return station


async def file_station_report(cmd: commands.FileStationReport, uow, deps: Deps) -> stations.Station:
    station = await uow.stations.get(cmd.station_id)
    own = cmd.actor.has("station") and cmd.actor.organisation == station.host_organisation
    if not (own or cmd.actor.has("operator")):
        raise Forbidden("only the station's host organisation or the operator files its report", "station_id")
    station.file_report(cmd.year, cmd.services_delivered, cmd.enterprises_served, cmd.achievements_landed,
                        cmd.actor.subject, deps.clock.now())
    await uow.stations.save(station)
    return station


async def get_station(cmd: commands.GetStation, uow, deps: Deps) -> stations.Station:
    return await uow.stations.get(cmd.station_id)


async def list_stations(cmd: commands.ListStations, uow, deps: Deps) -> dict:
    if cmd.region:
        require(cmd.region in vocab.REGIONS, f"unknown region {cmd.region!r}", "region")
    if cmd.status:
        require(cmd.status in set(stations.StationStatus), f"unknown station status {cmd.status!r}", "status")
    return await uow.views.station_page(cmd.page_size, cmd.cursor, region=cmd.region, status=cmd.status)


async def rank_stations(cmd: commands.RankStations, uow, deps: Deps) -> dict:
    now = deps.clock.now()
    require(2000 <= cmd.year <= now.year, f"year must be between 2000 and {now.year}", "year")
    found = await uow.stations.reporting(cmd.year)
    scored = [(stations.score(s, cmd.year, deps.ranking_weights), s) for s in found]
    scored = sorted(((sc, s) for sc, s in scored if sc is not None), key=lambda p: (-p[0], p[1].name, p[1].station_id))
    entries = [{"rank": i + 1, "station_id": s.station_id, "name": s.name, "region": s.region, "score": sc,
                "report": s.report(cmd.year), "services_offered": len(s.services)}
               for i, (sc, s) in enumerate(scored)]
    return {"year": cmd.year, "weights": deps.ranking_weights, "entries": entries}


async def station_dashboard(cmd: commands.GetStationDashboard, uow, deps: Deps) -> dict:
    station = await uow.stations.get(cmd.station_id)
    own = cmd.actor.has("station") and cmd.actor.organisation == station.host_organisation
    if not (own or cmd.actor.has("operator", "partner")):
        raise NotFound(f"station dashboard {cmd.station_id} is not visible to you", "station_id")
    now = deps.clock.now()
    by_stage = dict.fromkeys([s.value for s in Stage], 0)
    open_cases = overdue = escalations = landed = 0
    amount = Decimal("0.00")
    for doc in await uow.views.station_case_figures(cmd.station_id):
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
