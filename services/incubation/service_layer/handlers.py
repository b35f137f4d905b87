"""Incubation handlers (commands) in one table, and the subscriptions table (events)."""

from services.common.errors import NotFound
from services.incubation.adapters import read_models
from services.incubation.domain import commands
from services.incubation.service_layer import cases, incubators, stations
from services.incubation.service_layer.deps import Deps


async def get_known_achievement(cmd: commands.GetKnownAchievement, deps: Deps) -> dict:
    found = await read_models.achievements.get(deps.db, cmd.achievement_id)
    if found is None:
        raise NotFound(f"achievement {cmd.achievement_id} is not known to incubation", "achievement_id")
    return found


HANDLERS = {
    commands.GetKnownAchievement: get_known_achievement,
    commands.ApplyStation: stations.apply_station,
    commands.ChangeStation: stations.change_station,
    commands.FileStationReport: stations.file_station_report,
    commands.GetStation: stations.get_station,
    commands.ListStations: stations.list_stations,
    commands.RankStations: stations.rank_stations,
    commands.GetStationDashboard: stations.station_dashboard,
    commands.RegisterIncubator: incubators.register_incubator,
    commands.AdmitEnterprise: incubators.admit_enterprise,
    commands.ReleaseEnterprise: incubators.release_enterprise,
    commands.GetIncubator: incubators.get_incubator,
    commands.CountIncubators: incubators.count_incubators,
    commands.SubmitCase: cases.submit_case,
    commands.ActOnCase: cases.act_on_case,
    commands.GetCase: cases.get_case,
    commands.ListCases: cases.list_cases,
    commands.DetectSlaBreaches: cases.detect_sla_breaches,
}


async def handle(cmd, deps: Deps):
    return await HANDLERS[type(cmd)](cmd, deps)


async def detect_sla_breaches(now, deps: Deps) -> int:
    """What the worker's timer calls: `detect_sla_breaches(now)` over open cases."""
    return await handle(commands.DetectSlaBreaches(now), deps)


# consumer group -> {event type -> handler}
SUBSCRIPTIONS = {
    "achievements": read_models.achievements.handlers(read_models.ACHIEVEMENT_TOPIC),
}
