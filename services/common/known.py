"""The query every service that mirrors registry achievements answers the same way."""

from services.common.errors import NotFound


def get_known_achievement(service: str):
    """The handler of GetKnownAchievement for `service`'s mirror (its views decide visibility)."""
    async def handle(cmd, uow, deps) -> dict:
        found = await uow.views.known_achievement(cmd.achievement_id)
        if found is None:
            raise NotFound(f"achievement {cmd.achievement_id} is not known to {service}", "achievement_id")
        return found
    return handle
