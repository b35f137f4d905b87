"""Incubation handlers in two tables (COMMANDS: writes, QUERIES: reads), dispatched by the
message bus (services.common.bus), and the subscriptions table (events)."""

from services.common.bus import Checked, MessageBus, Sweep
from services.common.known import get_known_achievement
from services.incubation.adapters import read_models
from services.incubation.domain import commands
from services.incubation.domain import queues as queue_commands
from services.incubation.service_layer import cases, incubators, queues, stations
from services.incubation.service_layer.deps import Deps

COMMANDS = {
    commands.ApplyStation: stations.apply_station,
    commands.ChangeStation: stations.change_station,
    commands.FileStationReport: stations.file_station_report,
    commands.RegisterIncubator: incubators.register_incubator,
    commands.AdmitEnterprise: incubators.admit_enterprise,
    commands.ReleaseEnterprise: incubators.release_enterprise,
    commands.SubmitCase: Checked(cases.check_submission, cases.submit_case),
    commands.ActOnCase: cases.act_on_case,
    commands.DetectSlaBreaches: Sweep(cases.cases_due, cases.check_case_sla),
}

QUERIES = {
    commands.GetKnownAchievement: get_known_achievement("incubation"),
    commands.GetStation: stations.get_station,
    commands.ListStations: stations.list_stations,
    commands.RankStations: stations.rank_stations,
    commands.GetStationDashboard: stations.station_dashboard,
    commands.GetIncubator: incubators.get_incubator,
    commands.CountIncubators: incubators.count_incubators,
    commands.GetCase: cases.get_case,
    commands.ListCases: cases.list_cases,
    # work queues
    queue_commands.StationQueue: queues.station_queue,
    queue_commands.CaseQueue: queues.case_queue,
}

HANDLERS = {**COMMANDS, **QUERIES}


def bus(deps: Deps) -> MessageBus:
    return MessageBus(COMMANDS, QUERIES, deps.uow, deps)


async def handle(cmd, deps: Deps):
    """Dispatch one command (retried unit of work for writes; reads without a transaction)."""
    return await bus(deps).handle(cmd)


async def detect_sla_breaches(now, deps: Deps) -> int:
    """What the worker's timer calls: how many open cases got an SLA warning or escalation."""
    return len(await handle(commands.DetectSlaBreaches(now), deps))


# consumer group -> {event type -> handler}
SUBSCRIPTIONS = {
    "achievements": read_models.achievements.handlers(read_models.ACHIEVEMENT_TOPIC),
}
