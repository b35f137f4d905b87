"""Commands of the procurement service (imperative names); `actor` is the authenticated caller."""

from dataclasses import dataclass, field
from datetime import datetime

from services.common.identity import Principal


@dataclass(frozen=True)
class GetKnownAchievement:
    actor: Principal
    achievement_id: str


@dataclass(frozen=True)
class ApplyProduct:
    actor: Principal
    name: str = ""
    category: str = ""
    price: str = ""
    region: str = ""
    description: str = ""
    indicators: list[dict] = field(default_factory=list)
    achievement_ids: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewProduct:
    actor: Principal
    product_id: str
    score: int
    opinion: str


@dataclass(frozen=True)
class SuspendProduct:
    actor: Principal
    product_id: str
    note: str = ""


@dataclass(frozen=True)
class ReinstateProduct(SuspendProduct): ...


@dataclass(frozen=True)
class RenewProduct(SuspendProduct): ...


@dataclass(frozen=True)
class GetProduct:
    actor: Principal
    product_id: str


@dataclass(frozen=True)
class SearchProducts:
    actor: Principal
    text: str = ""
    category: str = ""
    region: str = ""
    first_set: bool | None = None
    valid_on: datetime | None = None
    min_price: str = ""
    max_price: str = ""
    page_size: int = 20
    cursor: str = ""


@dataclass(frozen=True)
class ExpireListings:
    actor: Principal
    now: datetime | None = None


@dataclass(frozen=True)
class ApplyFirstSet:
    actor: Principal
    product_id: str
    own_ip: bool
    major_breakthrough: bool
    units_sold_in_region: int
    note: str = ""


@dataclass(frozen=True)
class DecideFirstSet:
    actor: Principal
    id: str
    approve: bool
    note: str = ""


@dataclass(frozen=True)
class PublishDemand:
    actor: Principal
    need: str
    category: str
    budget: str
    deadline: datetime | None
    region: str


@dataclass(frozen=True)
class GetDemand:
    actor: Principal
    demand_id: str


@dataclass(frozen=True)
class GetSuggestions(GetDemand): ...


@dataclass(frozen=True)
class MakeAward:
    actor: Principal
    demand_id: str
    product_id: str
    amount: str
    award_date: datetime | None


@dataclass(frozen=True)
class ApplyInsuranceClaim:
    actor: Principal
    product_id: str
    amount: str
    reason: str


@dataclass(frozen=True)
class ReviewInsuranceClaim(DecideFirstSet): ...


@dataclass(frozen=True)
class SettleInsuranceClaim(DecideFirstSet): ...
