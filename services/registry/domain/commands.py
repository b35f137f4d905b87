"""Commands of the registry (imperative names); `actor` is the authenticated caller."""

from dataclasses import dataclass
from dataclasses import field as dc_field

from services.common.identity import Principal


@dataclass(frozen=True)
class DraftAchievement:
    actor: Principal
    title: str
    abstract: str = ""
    field: str = ""
    type: str = ""
    trl: int = 0
    keywords: list[str] = dc_field(default_factory=list)
    team: list[dict] = dc_field(default_factory=list)
    funding: dict = dc_field(default_factory=dict)
    linked_ip: list[dict] = dc_field(default_factory=list)
    transfer_modes: list[str] = dc_field(default_factory=list)
    indicative_price: str = ""
    submit: bool = False


@dataclass(frozen=True)
class SubmitAchievement:
    actor: Principal
    achievement_id: str


@dataclass(frozen=True)
class GetAchievement:
    actor: Principal
    achievement_id: str
