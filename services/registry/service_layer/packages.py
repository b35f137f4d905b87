"""Achievement package handlers `(cmd, uow, deps)`: create, publish a version (contents from
the registry's own records, read in the same transaction), get."""

import uuid

from services.common.errors import InvalidInput, NotFound
from services.registry.domain import commands, package
from services.registry.service_layer.deps import Deps


async def create_package(cmd: commands.CreatePackage, uow, deps: Deps) -> package.AchievementPackage:
    p = package.create(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.field, cmd.title, cmd.description)
    await uow.packages.add(p)
    return p


async def publish_package_version(cmd: commands.PublishPackageVersion, uow, deps: Deps) -> package.AchievementPackage:
    p = await uow.packages.get(cmd.package_id)
    chosen = []
    for achievement_id in cmd.achievement_ids:
        try:
            chosen.append((await uow.achievements.get(achievement_id)).snapshot())
        except NotFound:
            raise InvalidInput(f"achievement {achievement_id} does not exist", "achievement_ids") from None
    p.publish(cmd.actor, deps.clock.now(), chosen, cmd.note)
    await uow.packages.save(p)
    return p


async def get_package(cmd: commands.GetPackage, uow, deps: Deps) -> package.AchievementPackage:
    return await uow.packages.get(cmd.package_id)
