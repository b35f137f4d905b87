"""The green-channel case aggregate: submitted → accepted → reviewed → approved → landed →
closed (or rejected, or withdrawn), each open stage with a deadline in working days (pure)."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from services.common.aggregate import Aggregate
from services.common.deals import Deal, day
from services.common.errors import Forbidden, TransitionRefused, require
from services.incubation.domain import events
from services.incubation.domain.workdays import add_working_days


class Stage(StrEnum):
    SUBMITTED = "SUBMITTED"
    ACCEPTED = "ACCEPTED"
    REVIEWED = "REVIEWED"
    APPROVED = "APPROVED"
    LANDED = "LANDED"
    CLOSED = "CLOSED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


OPEN = (Stage.SUBMITTED, Stage.ACCEPTED, Stage.REVIEWED, Stage.APPROVED, Stage.LANDED)
STATION, PARTY, RECEIVER = "the handling station", "a party of the case", "the receiving party or the station"
TRANSITIONS = {  # action: (allowed from, to, who, event)
    "accept": ({Stage.SUBMITTED}, Stage.ACCEPTED, STATION, events.CaseAccepted),
    "review": ({Stage.ACCEPTED}, Stage.REVIEWED, STATION, events.CaseReviewed),
    "approve": ({Stage.REVIEWED}, Stage.APPROVED, STATION, events.CaseApproved),
    "land": ({Stage.APPROVED}, Stage.LANDED, RECEIVER, events.CaseLanded),
    "close": ({Stage.LANDED}, Stage.CLOSED, STATION, events.CaseClosed),
    "reject": ({Stage.SUBMITTED, Stage.ACCEPTED, Stage.REVIEWED}, Stage.REJECTED, STATION, events.CaseRejected),
    "withdraw": ({Stage.SUBMITTED, Stage.ACCEPTED, Stage.REVIEWED, Stage.APPROVED}, Stage.WITHDRAWN, PARTY,
                 events.CaseWithdrawn),
}


@dataclass
class Party:
    organisation: str
    region: str
    name: str = ""
    kind: str = ""


@dataclass
class StageEntry:
    stage: str
    actor: str
    organisation: str
    at: datetime
    note: str = ""


@dataclass(kw_only=True)
class Case(Aggregate):
    case_id: str
    achievement_id: str
    achievement_title: str
    field: str
    holder: Party
    receiver: Party
    transfer_mode: str
    station_id: str
    station_organisation: str
    services: list[str]
    submitted_by: str
    created_at: datetime
    updated_at: datetime
    stage_entered_at: datetime
    stage: Stage = Stage.SUBMITTED
    stage_due_at: datetime | None = None
    warn_at: datetime | None = None
    warned_stage: str = ""
    escalated_stage: str = ""
    escalations: int = 0
    amount: str = ""
    regions: list[str] = field(default_factory=list)
    history: list[StageEntry] = field(default_factory=list)

    @property
    def entity_id(self) -> str:
        return self.case_id

    def is_station(self, actor) -> bool:
        return actor.has("station") and actor.organisation == self.station_organisation

    def is_party(self, actor) -> bool:
        return bool(actor.organisation) and actor.organisation in (self.holder.organisation,
                                                                   self.receiver.organisation)

    def visible_to(self, actor) -> bool:
        """The operator sees every case; a partner those of its region; others the cases where
        their organisation is a party or the handling station (adapters/views.case_scope: the same rule)."""
        if actor.has("operator", "system"):
            return True
        if actor.has("partner"):
            return actor.region in self.regions
        return bool(actor.organisation) and actor.organisation in (
            self.holder.organisation, self.receiver.organisation, self.station_organisation)

    def may(self, who: str, actor) -> bool:
        if who == STATION:
            return self.is_station(actor)
        if who == PARTY:
            return self.is_party(actor)
        return self.is_station(actor) or actor.organisation == self.receiver.organisation

    def enter(self, stage: Stage, actor, now: datetime, note: str, sla_days: dict, warning_ratio: float) -> None:
        self.stage, self.stage_entered_at, self.updated_at = stage, now, now
        self.history.append(StageEntry(stage.value, actor.subject, actor.organisation, now, note))
        days = sla_days.get(stage.value) if stage in OPEN else None
        if days:
            self.stage_due_at = add_working_days(now, int(days))
            self.warn_at = now + (self.stage_due_at - now) * warning_ratio
        else:
            self.stage_due_at = self.warn_at = None

    def act(self, action: str, actor, now: datetime, note: str, sla_days: dict, warning_ratio: float,
            amount: str = "") -> None:
        if action not in TRANSITIONS:
            raise TransitionRefused(f"unknown case action {action!r}", "action")
        allowed, target, who, event = TRANSITIONS[action]
        if not self.may(who, actor):
            raise Forbidden(f"only {who} may {action} case {self.case_id}", "case_id")
        if self.stage not in allowed:
            raise TransitionRefused(f"cannot {action} a case that is {self.stage} (from "
                                    f"{'/'.join(sorted(allowed))} only; stages cannot be skipped)", "stage")
        require(len(note) <= 2000, "note is at most 2000 characters", "note")
        if action == "land":
            self.amount = landing_amount(amount)
        self.enter(target, actor, now, note, sla_days, warning_ratio)
        if action == "land":
            landed = Deal(self.transfer_mode, self.amount, self.field, self.holder.region, self.receiver.region,
                          day(now), self.holder.organisation, self.receiver.organisation, self.case_id)
            self.record_change(events.CaseLanded, actor.subject, note, self.amount, list(self.regions), self.field,
                               self.achievement_id, self.holder.region, self.receiver.region, self.transfer_mode,
                               landed)
        else:
            self.record_change(event, actor.subject, note)

    def check_sla(self, now: datetime) -> bool:
        """Raise the warning or the escalation now due (each once per stage); True if any."""
        if self.stage not in OPEN or self.stage_due_at is None:
            return False
        stage = self.stage.value
        if now >= self.stage_due_at and self.escalated_stage != stage:
            self.escalated_stage = self.warned_stage = stage
            self.escalations += 1
            self.record_change(events.CaseEscalated, stage, self.stage_due_at, list(self.regions), self.station_id,
                               now)
            return True
        if self.warn_at is not None and now >= self.warn_at and self.warned_stage != stage \
                and self.escalated_stage != stage:
            self.warned_stage = stage
            self.record_change(events.CaseSlaWarning, stage, self.stage_due_at, list(self.regions), self.station_id)
            return True
        return False


def landing_amount(amount: str) -> str:
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError):
        value = Decimal(-1)
    require(value.is_finite() and value >= 0, "amount must be a non-negative decimal (CNY), e.g. \"1200000.00\"",
            "amount")
    return str(value.quantize(Decimal("0.01")))
