"""Achievement events (past tense). Each name matches a message in proto/bth/registry/v1;
`achievement` is the full record after the change."""

from dataclasses import dataclass

from services.common.aggregate import Event


@dataclass
class AchievementDrafted(Event):
    achievement_id: str
    achievement: dict
    actor: str


@dataclass
class AchievementSubmitted(Event):
    achievement_id: str
    achievement: dict
    actor: str
