"""Incubation events (past tense). Names match messages in proto/bth/incubation/v1; each
carries the full entity snapshot after the change."""

from dataclasses import dataclass, field
from datetime import datetime

from services.common.aggregate import Event
from services.common.deals import Deal


@dataclass
class _StationEvent(Event):
    station_id: str
    station: dict
    actor: str


class StationApplied(_StationEvent): ...
class StationApproved(_StationEvent): ...
class StationRejected(_StationEvent): ...
class StationSuspended(_StationEvent): ...
class StationReinstated(_StationEvent): ...


@dataclass
class StationReportFiled(_StationEvent):
    year: int = 0


@dataclass
class _IncubatorEvent(Event):
    incubator_id: str
    incubator: dict
    actor: str


class IncubatorRegistered(_IncubatorEvent): ...


@dataclass
class EnterpriseEntered(_IncubatorEvent):
    enterprise_id: str = ""


class EnterpriseGraduated(EnterpriseEntered): ...
class EnterpriseLeft(EnterpriseEntered): ...


@dataclass
class _CaseEvent(Event):
    case_id: str
    case: dict
    actor: str
    note: str = ""


class CaseSubmitted(_CaseEvent): ...
class CaseAccepted(_CaseEvent): ...
class CaseReviewed(_CaseEvent): ...
class CaseApproved(_CaseEvent): ...
class CaseClosed(_CaseEvent): ...
class CaseRejected(_CaseEvent): ...
class CaseWithdrawn(_CaseEvent): ...


@dataclass
class CaseLanded(_CaseEvent):
    amount: str = ""
    regions: list[str] = field(default_factory=list)
    field: str = ""
    achievement_id: str = ""
    from_region: str = ""
    to_region: str = ""
    transfer_mode: str = ""
    deal: Deal | None = None


@dataclass
class CaseSlaWarning(Event):
    case_id: str
    case: dict
    stage: str
    due_at: datetime
    regions: list[str]
    station_id: str


@dataclass
class CaseEscalated(CaseSlaWarning):
    detected_at: datetime | None = None
