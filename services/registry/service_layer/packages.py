"""Achievement package handlers: create, publish a version (contents from the registry's
own records, read in the same transaction), get."""

import uuid

from services.common.errors import InvalidInput, NotFound
from services.registry.domain import commands, package
from services.registry.service_layer.deps import Deps


async def create_package(cmd: commands.CreatePackage, deps: Deps) -> package.AchievementPackage:
    p = package.create(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.field, cmd.title, cmd.description)
    async with deps.uow() as uow:
        await deps.packages(uow).add(p)
        await uow.commit()
    return p


async def publish_package_version(cmd: commands.PublishPackageVersion, deps: Deps) -> package.AchievementPackage:
    async with deps.uow() as uow:
        repo = deps.packages(uow)
        p = await repo.get(cmd.package_id)
        chosen = []
        for achievement_id in cmd.achievement_ids:
            try:
                chosen.append((await deps.achievements(uow).get(achievement_id)).snapshot())
            except NotFound:
                raise InvalidInput(f"achievement {achievement_id} does not exist", "achievement_ids") from None
        p.publish(cmd.actor, deps.clock.now(), chosen, cmd.note)
        await repo.save(p)
        await uow.commit()
    return p


async def get_package(cmd: commands.GetPackage, deps: Deps) -> package.AchievementPackage:
    async with deps.uow() as uow:
        return await deps.packages(uow).get(cmd.package_id)
