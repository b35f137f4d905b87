"""The query every service that mirrors registry achievements answers the same way, with the
registry's own read rule: another organisation's achievement is readable only in a public
state (公示 notice or registered); its owner and operators read it in any state."""

from services.common.errors import NotFound

# The registry's public states (services/registry/domain/model.PUBLIC; a unit test keeps them equal).
PUBLIC_STATES = ("IN_NOTICE", "REGISTERED")


def readable(achievement: dict, actor) -> bool:
    return (achievement.get("status") in PUBLIC_STATES or actor.has("operator", "system")
            or bool(actor.organisation) and actor.organisation == achievement.get("organisation"))


def get_known_achievement(service: str):
    """The handler of GetKnownAchievement for `service`'s mirror: NotFound, as if it did not
    exist, for one the caller may not read."""
    async def handle(cmd, uow, deps) -> dict:
        found = await uow.views.known_achievement(cmd.achievement_id)
        if found is None or not readable(found, cmd.actor):
            raise NotFound(f"achievement {cmd.achievement_id} is not known to {service}", "achievement_id")
        return found
    return handle
