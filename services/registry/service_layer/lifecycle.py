"""Achievement lifecycle handlers `(cmd, uow, deps)`: draft, submit, review, notice &
objections, registration (the notice sweep), withdrawal, transformation records, audit trail."""

import dataclasses
import uuid

from services.common.errors import Conflict, Forbidden, NotFound
from services.common.identity import SYSTEM
from services.registry.domain import commands, disclosure, model, numbering
from services.registry.domain.values import Transformation
from services.registry.service_layer.deps import Deps

EDITABLE = {f.name for f in dataclasses.fields(commands.DraftAchievement)} - {"actor", "submit"}


def visible(a: model.Achievement, actor) -> bool:
    return a.status in model.PUBLIC or a.organisation == actor.organisation or actor.has("operator", "system")


async def _refuse_duplicate(uow, a: model.Achievement) -> None:
    """Same organisation + title + funding project code, still live: a duplicate registration."""
    clash = await uow.achievements.duplicate_of(a)
    if clash is not None:
        raise Conflict(f"achievement {clash} of this organisation has the same title and funding "
                       f"project code {a.funding.project_code!r}", "title")


async def _acted_on(uow, cmd) -> model.Achievement:
    """The achievement a change is for; one the caller may not see is refused (403; reads say 404)."""
    a = await uow.achievements.get(cmd.achievement_id)
    if not visible(a, cmd.actor):
        raise Forbidden(f"only the owning organisation may act on achievement {cmd.achievement_id}",
                        "achievement_id")
    return a


async def _saved(uow, a: model.Achievement) -> model.Achievement:
    await uow.achievements.save(a)
    return a


async def draft_achievement(cmd: commands.DraftAchievement, uow, deps: Deps) -> model.Achievement:
    if not cmd.actor.organisation:
        raise Forbidden("only a member of an organisation can register achievements", "organisation")
    record = {k: getattr(cmd, k) for k in EDITABLE}
    achievement = model.draft(str(uuid.uuid4()), cmd.actor, deps.clock.now(), **record)
    await _refuse_duplicate(uow, achievement)
    if cmd.submit:
        achievement.submit(cmd.actor, deps.clock.now())
    await uow.achievements.add(achievement)
    return achievement


async def submit_achievement(cmd: commands.SubmitAchievement, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    a.submit(cmd.actor, deps.clock.now())
    await _refuse_duplicate(uow, a)
    return await _saved(uow, a)


async def revise_achievement(cmd: commands.ReviseAchievement, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    a.revise(cmd.actor, deps.clock.now(), dict(cmd.changes), cmd.note)
    if cmd.submit:
        a.submit(cmd.actor, deps.clock.now())
    await _refuse_duplicate(uow, a)
    return await _saved(uow, a)


async def approve_achievement(cmd: commands.ApproveAchievement, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    a.approve(cmd.actor, deps.clock.now(), deps.notice_days, cmd.note)
    return await _saved(uow, a)


async def return_achievement(cmd: commands.ReturnAchievement, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    a.return_for_revision(cmd.actor, deps.clock.now(), cmd.note)
    return await _saved(uow, a)


async def reject_achievement(cmd: commands.RejectAchievement, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    a.reject(cmd.actor, deps.clock.now(), cmd.note)
    return await _saved(uow, a)


async def withdraw_achievement(cmd: commands.WithdrawAchievement, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    a.withdraw(cmd.actor, deps.clock.now(), cmd.note)
    return await _saved(uow, a)


async def lodge_objection(cmd: commands.LodgeObjection, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    a.lodge_objection(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.reason)
    return await _saved(uow, a)


async def resolve_objection(cmd: commands.ResolveObjection, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    a.resolve_objection(cmd.objection_id, cmd.actor, deps.clock.now(), cmd.uphold, cmd.resolution)
    return await _saved(uow, a)


async def record_transformation(cmd: commands.RecordTransformation, uow, deps: Deps) -> model.Achievement:
    a = await _acted_on(uow, cmd)
    now = deps.clock.now()
    a.record_transformation(cmd.actor, now, Transformation(
        str(uuid.uuid4()), cmd.kind, cmd.counterparty, cmd.counterparty_region, cmd.amount, cmd.date,
        cmd.actor.subject, now))
    return await _saved(uow, a)


async def overseen(uow, actor) -> list[str]:
    """The institutions a supervising department oversees (its oversight list; none without one)."""
    try:
        return list((await uow.oversights.get(actor.organisation)).institutions)
    except NotFound:
        return []


async def get_achievement(cmd: commands.GetAchievement, uow, deps: Deps) -> model.Achievement:
    """A record the caller may see: public, their organisation's, any for an operator, and for a
    supervisor those of the institutions it oversees (what its review queue lists)."""
    achievement = await uow.achievements.get(cmd.achievement_id)
    if not (visible(achievement, cmd.actor) or (
            cmd.actor.has("supervisor") and achievement.organisation in await overseen(uow, cmd.actor))):
        raise NotFound(f"achievement {cmd.achievement_id} does not exist", "achievement_id")
    return disclosure.seen_by(achievement, cmd.actor)


async def notices_due(cmd: commands.ConcludeNotices, uow, deps: Deps) -> list[str]:
    """The sweep's due ids: achievements whose notice has ended (per the clock)."""
    if not cmd.actor.has("operator", "system"):
        raise Forbidden("only an operator may conclude notices", "actor")
    return await uow.achievements.notices_due(deps.clock.now())


async def register_if_concluded(cmd: commands.ConcludeNotices, achievement_id: str, uow, deps: Deps) -> bool:
    """One achievement in its own unit of work: registered when no objection is open, the
    serial taken from the counter inside the same transaction."""
    now = deps.clock.now()
    a = await uow.achievements.get(achievement_id)
    if not a.notice_concluded(now):
        return False
    serial = await uow.counters.next(numbering.counter_key(deps.registering_body_code, now.year))
    a.register(SYSTEM, now, deps.registering_body_code, serial)
    await uow.achievements.save(a)
    return True
