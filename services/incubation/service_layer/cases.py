"""Green-channel case handlers: submit (checked live against the registry), stage actions,
queries, and the SLA check the stream worker's timer calls."""

import uuid

from services.common import logs
from services.common.errors import Conflict, NotFound, require
from services.incubation.domain import commands, green_channel, vocab
from services.incubation.domain.cases import OPEN, Case, Stage
from services.incubation.service_layer import paging
from services.incubation.service_layer.deps import Deps
from services.incubation.service_layer.transact import transact


async def submit_case(cmd: commands.SubmitCase, deps: Deps) -> Case:
    require(bool(cmd.achievement_id.strip()), "achievement_id is required", "achievement_id")
    require(bool(cmd.station_id.strip()), "station_id is required", "station_id")
    async with deps.uow() as uow:
        station = await deps.stations(uow).get(cmd.station_id)
    achievement = await deps.registry.get_achievement(cmd.achievement_id)   # live, before any write
    async def work(uow):
        case = green_channel.submit(str(uuid.uuid4()), cmd.actor, deps.clock.now(), achievement, station,
                                    dict(cmd.receiver), cmd.transfer_mode, list(cmd.services), cmd.note,
                                    deps.sla_days, deps.warning_ratio)
        await deps.cases(uow).add(case)
        return case
    return await transact(deps, work)


async def act_on_case(cmd: commands.ActOnCase, deps: Deps) -> Case:
    async def work(uow):
        repo = deps.cases(uow)
        case = await repo.get(cmd.case_id)
        case.act(cmd.action, cmd.actor, deps.clock.now(), cmd.note, deps.sla_days, deps.warning_ratio, cmd.amount)
        await repo.save(case)
        return case
    return await transact(deps, work)


def _scope(actor) -> dict:
    """Which cases a caller sees: the operator all; a partner those of its region; others
    the cases where their organisation is a party or the handling station."""
    if actor.has("operator", "system"):
        return {}
    if actor.has("partner"):
        return {"regions": actor.region}
    return {"$or": [{"holder.organisation": actor.organisation}, {"receiver.organisation": actor.organisation},
                    {"station_organisation": actor.organisation}]}


async def get_case(cmd: commands.GetCase, deps: Deps) -> Case:
    async with deps.uow() as uow:
        found = await deps.cases(uow).find({"$and": [{"_id": cmd.case_id}, _scope(cmd.actor)]})
    if not found:
        raise NotFound(f"case {cmd.case_id} does not exist", "case_id")
    return found[0]


async def list_cases(cmd: commands.ListCases, deps: Deps) -> dict:
    query: list[dict] = [_scope(cmd.actor)]
    if cmd.station_id:
        query.append({"station_id": cmd.station_id})
    if cmd.stage:
        require(cmd.stage in set(Stage), f"unknown stage {cmd.stage!r}", "stage")
        query.append({"stage": cmd.stage})
    if cmd.region:
        require(cmd.region in vocab.REGIONS, f"unknown region {cmd.region!r}", "region")
        query.append({"regions": cmd.region})
    if cmd.overdue:
        query.append({"stage": {"$in": [s.value for s in OPEN]}, "stage_due_at": {"$lt": deps.clock.now()}})
    items, cursor = await paging.page(deps.db["cases"], {"$and": query}, cmd.page_size, cmd.cursor)
    return {"items": items, "next_cursor": cursor}


async def detect_sla_breaches(cmd: commands.DetectSlaBreaches, deps: Deps) -> int:
    """Raise due SLA warnings and escalations (each once per case and stage); returns how
    many cases changed. Safe to call as often as wanted, from any number of workers."""
    now = cmd.now or deps.clock.now()
    candidates = deps.db["cases"].find({"stage": {"$in": [s.value for s in OPEN]}, "warn_at": {"$lte": now}},
                                       {"stage": 1, "warned_stage": 1, "escalated_stage": 1, "stage_due_at": 1})
    due = [d["_id"] async for d in candidates
           if d.get("escalated_stage") != d["stage"]
           and (d.get("warned_stage") != d["stage"] or d["stage_due_at"] <= now)]
    changed = 0
    for case_id in due:
        async def work(uow, case_id=case_id):
            repo = deps.cases(uow)
            case = await repo.get(case_id)
            if case.check_sla(now):
                await repo.save(case)
                return True
            return False
        try:
            changed += bool(await transact(deps, work))
        except (Conflict, NotFound):  # changed meanwhile: the next tick looks again
            logs.get("sla").info("sla.retry_next_tick", case_id=case_id)
    return changed
