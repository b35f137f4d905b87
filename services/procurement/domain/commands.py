"""Commands of the procurement service (imperative names); `actor` is the authenticated caller.

Those that carry a gRPC request field for field are written once, in proto: `make proto`
generates them from the request messages that name them (gen/proto_commands/procurement.py,
services/common/command_gen.py). Those below carry times (datetime, not a protobuf
Timestamp), a search's unset filters (None) or the timer's clock."""

from dataclasses import dataclass
from datetime import datetime

from proto_commands.procurement import (  # noqa: F401 - the generated commands, re-exported
    ApplyFirstSet,
    ApplyInsuranceClaim,
    ApplyProduct,
    DecideFirstSet,
    GetDemand,
    GetKnownAchievement,
    GetProduct,
    GetSuggestions,
    ReinstateProduct,
    RenewProduct,
    ReviewInsuranceClaim,
    ReviewProduct,
    SettleInsuranceClaim,
    SuspendProduct,
)
from services.common.identity import Principal


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
class PublishDemand:
    actor: Principal
    need: str
    category: str
    budget: str
    deadline: datetime | None
    region: str


@dataclass(frozen=True)
class MakeAward:
    actor: Principal
    demand_id: str
    product_id: str
    amount: str
    award_date: datetime | None
