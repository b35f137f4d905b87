"""Green-channel case handlers: submit (checked live against the registry), stage actions,
queries, and the SLA sweep the stream worker's timer runs."""

import uuid

from services.common.errors import NotFound, require
from services.incubation.domain import commands, green_channel, vocab
from services.incubation.domain.cases import Case, Stage
from services.incubation.service_layer.deps import Deps


async def check_submission(cmd: commands.SubmitCase, uow, deps: Deps) -> tuple:
    """Before the transaction: the named station and the live registry record."""
    require(bool(cmd.achievement_id.strip()), "achievement_id is required", "achievement_id")
    require(bool(cmd.station_id.strip()), "station_id is required", "station_id")
    station = await uow.stations.get(cmd.station_id)
    return station, await deps.registry.get_achievement(cmd.achievement_id, "achievement_id")


async def submit_case(cmd: commands.SubmitCase, uow, deps: Deps, checked: tuple) -> Case:
    station, achievement = checked
    case = green_channel.submit(str(uuid.uuid4()), cmd.actor, deps.clock.now(), achievement, station,
                                dict(cmd.receiver), cmd.transfer_mode, list(cmd.services), cmd.note,
                                deps.sla_days, deps.warning_ratio)
    await uow.cases.add(case)
    return case


async def act_on_case(cmd: commands.ActOnCase, uow, deps: Deps) -> Case:
    case = await uow.cases.get(cmd.case_id)
    case.act(cmd.action, cmd.actor, deps.clock.now(), cmd.note, deps.sla_days, deps.warning_ratio, cmd.amount)
    await uow.cases.save(case)
    return case


async def get_case(cmd: commands.GetCase, uow, deps: Deps) -> Case:
    case = await uow.cases.get(cmd.case_id)
    if not case.visible_to(cmd.actor):  # as if it did not exist
        raise NotFound(f"case {cmd.case_id} does not exist", "case_id")
    return case


async def list_cases(cmd: commands.ListCases, uow, deps: Deps) -> dict:
    if cmd.stage:
        require(cmd.stage in set(Stage), f"unknown stage {cmd.stage!r}", "stage")
    if cmd.region:
        require(cmd.region in vocab.REGIONS, f"unknown region {cmd.region!r}", "region")
    return await uow.views.case_page(cmd.actor, cmd.page_size, cmd.cursor, station_id=cmd.station_id,
                                     stage=cmd.stage, region=cmd.region,
                                     overdue_at=deps.clock.now() if cmd.overdue else None)


async def cases_due(cmd: commands.DetectSlaBreaches, uow, deps: Deps) -> list[str]:
    return await uow.cases.due_for_sla(cmd.now or deps.clock.now())


async def check_case_sla(cmd: commands.DetectSlaBreaches, case_id: str, uow, deps: Deps) -> bool:
    """Raise the SLA warning or escalation due on one case (each once per case and stage)."""
    case = await uow.cases.get(case_id)
    if case.check_sla(cmd.now or deps.clock.now()):
        await uow.cases.save(case)
        return True
    return False
