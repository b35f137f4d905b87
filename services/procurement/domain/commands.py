"""Commands of the procurement service (imperative names)."""

from dataclasses import dataclass

from services.common.identity import Principal


@dataclass(frozen=True)
class GetKnownAchievement:
    actor: Principal
    achievement_id: str
