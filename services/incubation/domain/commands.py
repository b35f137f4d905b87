"""Commands of the incubation service (imperative names); `actor` is the authenticated caller."""

from dataclasses import dataclass, field

from services.common.identity import Principal


@dataclass(frozen=True)
class GetKnownAchievement:
    actor: Principal
    achievement_id: str


@dataclass(frozen=True)
class ApplyStation:
    actor: Principal
    name: str
    region: str
    services: list[str] = field(default_factory=list)
    description: str = ""


@dataclass(frozen=True)
class ChangeStation:
    actor: Principal
    station_id: str
    action: str          # approve | reject | suspend | reinstate
    note: str = ""


@dataclass(frozen=True)
class FileStationReport:
    actor: Principal
    station_id: str
    year: int
    services_delivered: int
    enterprises_served: int
    achievements_landed: int


@dataclass(frozen=True)
class GetStation:
    actor: Principal
    station_id: str


@dataclass(frozen=True)
class ListStations:
    actor: Principal
    region: str = ""
    status: str = ""
    page_size: int = 0
    cursor: str = ""


@dataclass(frozen=True)
class RankStations:
    actor: Principal
    year: int


@dataclass(frozen=True)
class GetStationDashboard:
    actor: Principal
    station_id: str


@dataclass(frozen=True)
class RegisterIncubator:
    actor: Principal
    name: str
    region: str
    city: str = ""


@dataclass(frozen=True)
class AdmitEnterprise:
    actor: Principal
    incubator_id: str
    name: str
    enterprise_id: str = ""


@dataclass(frozen=True)
class ReleaseEnterprise:
    actor: Principal
    incubator_id: str
    enterprise_id: str
    graduated: bool


@dataclass(frozen=True)
class GetIncubator:
    actor: Principal
    incubator_id: str


@dataclass(frozen=True)
class CountIncubators:
    actor: Principal
    region: str = ""
    sponsor: str = ""


@dataclass(frozen=True)
class SubmitCase:
    actor: Principal
    achievement_id: str
    receiver: dict
    transfer_mode: str
    station_id: str
    services: list[str] = field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class ActOnCase:
    actor: Principal
    case_id: str
    action: str          # accept | review | approve | land | close | reject | withdraw
    note: str = ""
    amount: str = ""


@dataclass(frozen=True)
class GetCase:
    actor: Principal
    case_id: str


@dataclass(frozen=True)
class ListCases:
    actor: Principal
    station_id: str = ""
    stage: str = ""
    region: str = ""
    overdue: bool = False
    page_size: int = 0
    cursor: str = ""


@dataclass(frozen=True)
class DetectSlaBreaches:
    now: object = None   # datetime; default deps.clock.now()
