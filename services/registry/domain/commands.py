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
class ReviseAchievement:
    """The owner edits a draft or a returned record: `changes` maps revisable fields to new values."""
    actor: Principal
    achievement_id: str
    changes: dict = dc_field(default_factory=dict)
    submit: bool = False
    note: str = ""


@dataclass(frozen=True)
class GetAchievement:
    actor: Principal
    achievement_id: str


@dataclass(frozen=True)
class ReviewAchievement:
    """Approve / return / reject / withdraw; `note` says why."""
    actor: Principal
    achievement_id: str
    note: str = ""


class ApproveAchievement(ReviewAchievement): ...
class ReturnAchievement(ReviewAchievement): ...
class RejectAchievement(ReviewAchievement): ...
class WithdrawAchievement(ReviewAchievement): ...


@dataclass(frozen=True)
class LodgeObjection:
    actor: Principal
    achievement_id: str
    reason: str


@dataclass(frozen=True)
class ResolveObjection:
    actor: Principal
    achievement_id: str
    objection_id: str
    uphold: bool
    resolution: str


@dataclass(frozen=True)
class RecordTransformation:
    actor: Principal
    achievement_id: str
    kind: str
    counterparty: str
    counterparty_region: str
    amount: str
    date: str


@dataclass(frozen=True)
class GetAuditTrail:
    actor: Principal
    achievement_id: str


@dataclass(frozen=True)
class ConcludeNotices:
    actor: Principal


@dataclass(frozen=True)
class SearchAchievements:
    actor: Principal
    q: str = ""
    field: str = ""
    region: str = ""
    type: str = ""
    trl_min: int = 0
    trl_max: int = 0
    transfer_mode: str = ""
    status: str = ""
    organisation: str = ""
    page_size: int = 20
    cursor: str = ""


class MatchNeed(SearchAchievements): ...


@dataclass(frozen=True)
class FileContract:
    actor: Principal
    type: str
    title: str
    seller: dict = dc_field(default_factory=dict)
    buyer: dict = dc_field(default_factory=dict)
    amount: str = ""
    achievement_ids: list[str] = dc_field(default_factory=list)
    field: str = ""


@dataclass(frozen=True)
class GetContract:
    actor: Principal
    contract_id: str


@dataclass(frozen=True)
class DecideContract:
    """Register or refuse; `note` says why."""
    actor: Principal
    contract_id: str
    note: str = ""


class RegisterContract(DecideContract): ...
class RefuseContract(DecideContract): ...


@dataclass(frozen=True)
class ExtendContract:
    actor: Principal
    contract_id: str
    days: int
    note: str = ""


@dataclass(frozen=True)
class CheckContractDeadlines:
    actor: Principal


@dataclass(frozen=True)
class GetStatistics:
    actor: Principal
    month_from: str = ""
    month_to: str = ""
    field: str = ""


class GetTradingMap(GetStatistics): ...


@dataclass(frozen=True)
class CreatePackage:
    actor: Principal
    field: str
    title: str
    description: str = ""


@dataclass(frozen=True)
class PublishPackageVersion:
    actor: Principal
    package_id: str
    achievement_ids: list[str] = dc_field(default_factory=list)
    note: str = ""


@dataclass(frozen=True)
class GetPackage:
    actor: Principal
    package_id: str
