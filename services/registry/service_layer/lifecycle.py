"""Achievement lifecycle handlers: draft, submit, review, notice & objections, registration,
withdrawal, transformation records, audit trail."""

import dataclasses
import uuid

from services.common.errors import Conflict, Forbidden, NotFound
from services.common.identity import SYSTEM
from services.common.mongo import with_retry
from services.registry.domain import commands, model, numbering
from services.registry.domain.values import Transformation
from services.registry.service_layer.deps import Deps

EDITABLE = {f.name for f in dataclasses.fields(commands.DraftAchievement)} - {"actor", "submit"}
LIVE = [s.value for s in model.Status if s not in (model.Status.REJECTED, model.Status.WITHDRAWN)]


def visible(a: model.Achievement, actor) -> bool:
    return a.status in model.PUBLIC or a.organisation == actor.organisation or actor.has("operator", "system")


async def _refuse_duplicate(uow, a: model.Achievement) -> None:
    """Same organisation + title + funding project code, still live: a duplicate registration."""
    clash = await uow.db["achievements"].find_one(
        {"organisation": a.organisation, "title": a.title, "funding.project_code": a.funding.project_code,
         "status": {"$in": LIVE}, "_id": {"$ne": a.achievement_id}}, {"_id": 1}, session=uow.session)
    if clash is not None:
        raise Conflict(f"achievement {clash['_id']} of this organisation has the same title and funding "
                       f"project code {a.funding.project_code!r}", "title")


async def draft_achievement(cmd: commands.DraftAchievement, deps: Deps) -> model.Achievement:
    if not cmd.actor.organisation:
        raise Forbidden("only a member of an organisation can register achievements", "organisation")
    async with deps.uow() as uow:
        record = {k: getattr(cmd, k) for k in EDITABLE}
        achievement = model.draft(str(uuid.uuid4()), cmd.actor, deps.clock.now(), **record)
        await _refuse_duplicate(uow, achievement)
        if cmd.submit:
            achievement.submit(cmd.actor, deps.clock.now())
        await deps.achievements(uow).add(achievement)
        await uow.commit()
    return achievement


async def _change(deps: Deps, achievement_id: str, actor, change) -> model.Achievement:
    """Load, check visibility, apply `change(achievement, uow)`, save and commit in one transaction.
    (A transient write conflict is retried whole by the foundation's grpc_method.)
    A caller acting on an achievement it may not see is refused (403); reads of it say 404."""
    async with deps.uow() as uow:
        repo = deps.achievements(uow)
        achievement = await repo.get(achievement_id)
        if not visible(achievement, actor):
            raise Forbidden(f"only the owning organisation may act on achievement {achievement_id}",
                            "achievement_id")
        await change(achievement, uow)
        await repo.save(achievement)
        await uow.commit()
    return achievement


async def submit_achievement(cmd: commands.SubmitAchievement, deps: Deps) -> model.Achievement:
    async def change(a, uow):
        a.submit(cmd.actor, deps.clock.now())
        await _refuse_duplicate(uow, a)
    return await _change(deps, cmd.achievement_id, cmd.actor, change)


async def approve_achievement(cmd: commands.ApproveAchievement, deps: Deps) -> model.Achievement:
    async def change(a, uow):
        a.approve(cmd.actor, deps.clock.now(), deps.notice_days, cmd.note)
    return await _change(deps, cmd.achievement_id, cmd.actor, change)


async def return_achievement(cmd: commands.ReturnAchievement, deps: Deps) -> model.Achievement:
    async def change(a, uow):
        a.return_for_revision(cmd.actor, deps.clock.now(), cmd.note)
    return await _change(deps, cmd.achievement_id, cmd.actor, change)


async def reject_achievement(cmd: commands.RejectAchievement, deps: Deps) -> model.Achievement:
    async def change(a, uow):
        a.reject(cmd.actor, deps.clock.now(), cmd.note)
    return await _change(deps, cmd.achievement_id, cmd.actor, change)


async def withdraw_achievement(cmd: commands.WithdrawAchievement, deps: Deps) -> model.Achievement:
    async def change(a, uow):
        a.withdraw(cmd.actor, deps.clock.now(), cmd.note)
    return await _change(deps, cmd.achievement_id, cmd.actor, change)


async def lodge_objection(cmd: commands.LodgeObjection, deps: Deps) -> model.Achievement:
    async def change(a, uow):
        a.lodge_objection(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.reason)
    return await _change(deps, cmd.achievement_id, cmd.actor, change)


async def resolve_objection(cmd: commands.ResolveObjection, deps: Deps) -> model.Achievement:
    async def change(a, uow):
        a.resolve_objection(cmd.objection_id, cmd.actor, deps.clock.now(), cmd.uphold, cmd.resolution)
    return await _change(deps, cmd.achievement_id, cmd.actor, change)


async def record_transformation(cmd: commands.RecordTransformation, deps: Deps) -> model.Achievement:
    async def change(a, uow):
        now = deps.clock.now()
        deal = Transformation(str(uuid.uuid4()), cmd.kind, cmd.counterparty, cmd.counterparty_region,
                              cmd.amount, cmd.date, cmd.actor.subject, now)
        a.record_transformation(cmd.actor, now, deal)
    return await _change(deps, cmd.achievement_id, cmd.actor, change)


async def get_achievement(cmd: commands.GetAchievement, deps: Deps) -> model.Achievement:
    async with deps.uow() as uow:
        achievement = await deps.achievements(uow).get(cmd.achievement_id)
    if not visible(achievement, cmd.actor):
        raise NotFound(f"achievement {cmd.achievement_id} does not exist", "achievement_id")
    return achievement


async def conclude_notices(cmd: commands.ConcludeNotices, deps: Deps) -> list[str]:
    """Register every achievement whose notice has ended (per the clock) with no open objection;
    each in its own transaction, the serial taken from the counter inside it."""
    if not cmd.actor.has("operator", "system"):
        raise Forbidden("only an operator may conclude notices", "actor")
    now = deps.clock.now()
    reader = deps.uow()  # a plain read, outside any transaction (no write conflicts with writers)
    due = await reader.db["achievements"].find({"status": model.Status.IN_NOTICE.value,
                                                "notice_ends_at": {"$lte": now}}, {"_id": 1},
                                               sort=[("notice_ends_at", 1)]).to_list()
    registered = []
    for candidate in due:
        if await with_retry(lambda c=candidate: _register_once(deps, c["_id"], now)):
            registered.append(candidate["_id"])
    return registered


async def _register_once(deps: Deps, achievement_id: str, now) -> bool:
    async with deps.uow() as uow:
        repo = deps.achievements(uow)
        a = await repo.get(achievement_id)
        if not a.notice_concluded(now):
            return False
        serial = await deps.counters(uow).next(numbering.counter_key(deps.registering_body_code, now.year))
        a.register(SYSTEM, now, deps.registering_body_code, serial)
        await repo.save(a)
        await uow.commit()
    return True
