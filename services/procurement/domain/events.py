"""Procurement events (past tense). Names match messages in proto/bth/procurement/v1/events.proto;
each carries the full entity snapshot after the change and the region fields partners are
filtered by."""

from dataclasses import dataclass, field

from services.common.aggregate import Event
from services.common.deals import Deal


@dataclass
class _ProductEvent(Event):
    product_id: str
    product: dict
    actor: str
    region: str
    visible_regions: list[str] = field(default_factory=list)


@dataclass
class ProductApplied(_ProductEvent): ...
@dataclass
class ProductReviewed(_ProductEvent): ...
@dataclass
class ProductListed(_ProductEvent): ...
@dataclass
class ProductRejected(_ProductEvent): ...
@dataclass
class ProductSuspended(_ProductEvent): ...
@dataclass
class ProductReinstated(_ProductEvent): ...
@dataclass
class ProductRenewed(_ProductEvent): ...
@dataclass
class ProductExpired(_ProductEvent): ...
@dataclass
class FirstSetApplied(_ProductEvent): ...
@dataclass
class FirstSetRecognised(_ProductEvent): ...
@dataclass
class FirstSetRefused(_ProductEvent): ...


@dataclass
class _DemandEvent(Event):
    demand_id: str
    demand: dict
    actor: str
    region: str
    visible_regions: list[str] = field(default_factory=list)


@dataclass
class DemandPublished(_DemandEvent): ...
@dataclass
class DemandAwarded(_DemandEvent): ...


@dataclass
class DemandSuggestionsUpdated(Event):
    demand_id: str
    suggestions: dict
    region: str
    visible_regions: list[str] = field(default_factory=list)


@dataclass
class AwardMade(Event):
    award_id: str
    award: dict
    actor: str
    amount: str
    buyer_region: str
    vendor_region: str
    field: str
    visible_regions: list[str] = field(default_factory=list)
    deal: Deal | None = None


@dataclass
class _ClaimEvent(Event):
    claim_id: str
    claim: dict
    actor: str
    region: str
    visible_regions: list[str] = field(default_factory=list)


@dataclass
class InsuranceClaimApplied(_ClaimEvent): ...
@dataclass
class InsuranceClaimReviewed(_ClaimEvent): ...
@dataclass
class InsuranceClaimPaid(_ClaimEvent): ...
@dataclass
class InsuranceClaimRefused(_ClaimEvent): ...
