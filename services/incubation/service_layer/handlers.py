"""Incubation handlers (commands) and the subscriptions table (events)."""

from services.common.errors import NotFound
from services.incubation.adapters import read_models
from services.incubation.domain import commands
from services.incubation.service_layer.deps import Deps


async def get_known_achievement(cmd: commands.GetKnownAchievement, deps: Deps) -> dict:
    found = await read_models.achievements.get(deps.db, cmd.achievement_id)
    if found is None:
        raise NotFound(f"achievement {cmd.achievement_id} is not known to incubation", "achievement_id")
    return found


HANDLERS = {commands.GetKnownAchievement: get_known_achievement}

# consumer group -> {event type -> handler}
SUBSCRIPTIONS = {
    "achievements": read_models.achievements.handlers(read_models.ACHIEVEMENT_TOPIC),
}
