"""The achievement aggregate: the standard record of plan item 1 and its lifecycle (pure)."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from services.common.aggregate import Aggregate
from services.common.contracts import to_plain
from services.common.errors import TransitionRefused, require
from services.registry.domain import events, taxonomy


class Status(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    IN_NOTICE = "IN_NOTICE"
    REGISTERED = "REGISTERED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


@dataclass
class TeamMember:
    name: str
    role: str = ""


@dataclass
class Funding:
    fiscal: bool = False
    plan: str = ""
    project_code: str = ""


@dataclass
class LinkedIp:
    kind: str
    reference: str
    title: str = ""


@dataclass(kw_only=True)
class Achievement(Aggregate):
    achievement_id: str
    title: str
    abstract: str
    field: str
    type: str
    trl: int
    organisation: str
    region: str
    owner: str
    created_at: datetime
    updated_at: datetime
    status: Status = Status.DRAFT
    keywords: list[str] = dc_field(default_factory=list)
    team: list[TeamMember] = dc_field(default_factory=list)
    funding: Funding = dc_field(default_factory=Funding)
    linked_ip: list[LinkedIp] = dc_field(default_factory=list)
    transfer_modes: list[str] = dc_field(default_factory=list)
    indicative_price: str = ""
    registration_number: str = ""
    notice_ends_at: datetime | None = None

    @property
    def entity_id(self) -> str:
        return self.achievement_id

    def snapshot(self) -> dict:
        return to_plain(self)

    def submit(self, actor: str, now: datetime) -> None:
        if self.status not in (Status.DRAFT, Status.RETURNED):
            raise TransitionRefused(f"cannot submit an achievement that is {self.status}", "status")
        self.status, self.updated_at = Status.SUBMITTED, now
        self.record(events.AchievementSubmitted(self.achievement_id, self.snapshot_after(), actor))

    def snapshot_after(self) -> dict:
        """Snapshot with the version this change will have (record() raises it by one)."""
        return {**self.snapshot(), "version": self.version + 1}


def draft(achievement_id: str, actor, now: datetime, **record) -> Achievement:
    """A new draft owned by the caller's organisation and region; validated whole."""
    record["team"] = [TeamMember(**m) for m in record.get("team", [])]
    record["funding"] = Funding(**record.get("funding", {}))
    record["linked_ip"] = [LinkedIp(**i) for i in record.get("linked_ip", [])]
    achievement = Achievement(achievement_id=achievement_id, organisation=actor.organisation,
                              region=actor.region, owner=actor.subject, created_at=now, updated_at=now,
                              **record)
    validate_record(achievement)
    achievement.record(events.AchievementDrafted(achievement_id, achievement.snapshot_after(), actor.subject))
    return achievement


def validate_record(a: Achievement) -> None:
    require(0 < len(a.title.strip()) <= 200, "title is required (at most 200 characters)", "title")
    require(len(a.abstract) <= 5000, "abstract is at most 5000 characters", "abstract")
    require(a.field in taxonomy.FIELDS, f"unknown key field {a.field!r}", "field")
    require(a.type in taxonomy.TYPES, f"unknown achievement type {a.type!r}", "type")
    require(isinstance(a.trl, int) and 1 <= a.trl <= 9, "trl must be between 1 and 9", "trl")
    require(a.region in taxonomy.REGIONS, f"unknown region {a.region!r}", "region")
    unknown = set(a.transfer_modes) - taxonomy.TRANSFER_MODES
    require(not unknown, f"unknown transfer modes {sorted(unknown)}", "transfer_modes")
    require(len(a.keywords) <= 20, "at most 20 keywords", "keywords")
    if a.funding.fiscal:
        require(bool(a.funding.project_code.strip()), "fiscal funding needs a project code",
                "funding.project_code")
    if a.indicative_price:
        try:
            price = Decimal(a.indicative_price)
        except InvalidOperation:
            price = Decimal(-1)
        require(price.is_finite() and price >= 0, "indicative_price must be a non-negative amount",
                "indicative_price")
