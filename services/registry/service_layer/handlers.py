"""Registry handlers: plain async functions, one per command, listed in HANDLERS."""

import dataclasses
import uuid

from services.common.errors import Forbidden, NotFound
from services.registry.domain import commands, model
from services.registry.service_layer.deps import Deps

EDITABLE = {f.name for f in dataclasses.fields(commands.DraftAchievement)} - {"actor", "submit"}


def _visible(a: model.Achievement, actor) -> bool:
    public = a.status in (model.Status.IN_NOTICE, model.Status.REGISTERED, model.Status.WITHDRAWN)
    return public or a.organisation == actor.organisation or actor.has("operator", "system")


async def draft_achievement(cmd: commands.DraftAchievement, deps: Deps) -> model.Achievement:
    if not cmd.actor.organisation:
        raise Forbidden("only a member of an organisation can register achievements", "organisation")
    async with deps.uow() as uow:
        record = {k: getattr(cmd, k) for k in EDITABLE}
        achievement = model.draft(str(uuid.uuid4()), cmd.actor, deps.clock.now(), **record)
        if cmd.submit:
            achievement.submit(cmd.actor.subject, deps.clock.now())
        await deps.achievements(uow).add(achievement)
        await uow.commit()
    return achievement


async def submit_achievement(cmd: commands.SubmitAchievement, deps: Deps) -> model.Achievement:
    async with deps.uow() as uow:
        repo = deps.achievements(uow)
        achievement = await repo.get(cmd.achievement_id)
        if achievement.organisation != cmd.actor.organisation:
            raise Forbidden("only the owning organisation may submit", "achievement_id")
        achievement.submit(cmd.actor.subject, deps.clock.now())
        await repo.save(achievement)
        await uow.commit()
    return achievement


async def get_achievement(cmd: commands.GetAchievement, deps: Deps) -> model.Achievement:
    async with deps.uow() as uow:
        achievement = await deps.achievements(uow).get(cmd.achievement_id)
    if not _visible(achievement, cmd.actor):
        raise NotFound(f"achievement {cmd.achievement_id} does not exist", "achievement_id")
    return achievement


HANDLERS = {
    commands.DraftAchievement: draft_achievement,
    commands.SubmitAchievement: submit_achievement,
    commands.GetAchievement: get_achievement,
}


async def handle(cmd, deps: Deps):
    return await HANDLERS[type(cmd)](cmd, deps)
