"""The catalog entry (new technology / new product): application, expert review, listing
for a term, suspension, renewal, expiry (pure). Every transition is audited."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime, timedelta
from enum import StrEnum

from services.common.aggregate import Aggregate
from services.common.errors import Conflict, Forbidden, InvalidInput, TransitionRefused
from services.common.plain import to_plain
from services.procurement.domain import events
from services.procurement.domain.policy import PUBLIC_REGIONS, Policy
from services.procurement.domain.records import AuditEntry, FirstSet, Indicator, Review


class Status(StrEnum):
    UNDER_REVIEW = "UNDER_REVIEW"
    LISTED = "LISTED"
    REJECTED = "REJECTED"
    SUSPENDED = "SUSPENDED"
    EXPIRED = "EXPIRED"


@dataclass(kw_only=True)
class Product(Aggregate):
    product_id: str
    name: str
    category: str
    description: str
    price: str
    region: str
    organisation: str
    applicant: str
    created_at: datetime
    updated_at: datetime
    status: Status = Status.UNDER_REVIEW
    indicators: list[Indicator] = dc_field(default_factory=list)
    achievement_ids: list[str] = dc_field(default_factory=list)
    field: str = ""
    reviews: list[Review] = dc_field(default_factory=list)
    audit: list[AuditEntry] = dc_field(default_factory=list)
    listed_at: datetime | None = None
    valid_until: datetime | None = None
    first_set: FirstSet = dc_field(default_factory=FirstSet)
    is_first_set: bool = False
    tokens: list[str] = dc_field(default_factory=list)   # search index (not in the contract)
    price_value: float = 0.0                              # for range filters (not in the contract)

    @property
    def entity_id(self) -> str:
        return self.product_id

    def visible_regions(self) -> list[str]:
        """Public catalog states reach every partner region; an application no partner (REST
        shows it to its vendor, experts and operators only)."""
        if self.status in (Status.LISTED, Status.SUSPENDED, Status.EXPIRED):
            return list(PUBLIC_REGIONS)
        return []

    def snapshot(self) -> dict:
        plain = to_plain(self)
        plain.pop("tokens", None)
        plain.pop("price_value", None)
        return plain

    def snapshot_after(self) -> dict:
        return {**self.snapshot(), "version": self.version + 1}

    def valid_on(self, moment: datetime) -> bool:
        return (self.status in (Status.LISTED, Status.EXPIRED) and self.listed_at is not None
                and self.listed_at <= moment < self.valid_until)

    def listed_now(self, now: datetime) -> bool:
        """Listed and within its term at `now` (whether the expiry sweep ran yet or not)."""
        return (self.status == Status.LISTED and self.listed_at is not None
                and self.listed_at <= now < self.valid_until)

    def transition(self, event_cls, action: str, actor, now: datetime, to: Status | None = None,
                   note: str = "") -> None:
        before = self.status
        if to is not None:
            self.status = to
        self.updated_at = now
        self.audit.append(AuditEntry(action, actor.subject, actor.organisation, now, before, self.status, note))
        self.record_change(event_cls, actor.subject, self.region, self.visible_regions())

    def review(self, actor, score: int, opinion: str, now: datetime, policy: Policy) -> None:
        if self.status != Status.UNDER_REVIEW:
            raise TransitionRefused(f"product is {self.status}, not under review", "status")
        if actor.organisation == self.organisation or actor.subject == self.applicant:
            raise Forbidden("experts of the applicant's own organisation may not review it", "expert")
        if any(r.expert == actor.subject for r in self.reviews):
            raise Conflict(f"expert {actor.subject} has reviewed this product already", "expert")
        if not (isinstance(score, int) and 0 <= score <= 100):
            raise InvalidInput("score must be between 0 and 100", "score")
        if not opinion.strip():
            raise InvalidInput("an opinion is required", "opinion")
        self.reviews.append(Review(actor.subject, actor.organisation, score, opinion, now))
        self.transition(events.ProductReviewed, "review", actor, now, note=f"score {score}")
        if len(self.reviews) < policy.min_reviews:
            return
        mean = sum(r.score for r in self.reviews) / len(self.reviews)
        vetoed = any(r.score < policy.veto_score for r in self.reviews)
        if mean >= policy.pass_mean_score and not vetoed:
            self.listed_at, self.valid_until = now, now + timedelta(days=policy.listing_term_days)
            self.transition(events.ProductListed, "list", actor, now, Status.LISTED, f"mean score {mean:.1f}")
        else:
            self.transition(events.ProductRejected, "reject", actor, now, Status.REJECTED, f"mean score {mean:.1f}")

    def suspend(self, actor, now: datetime, note: str) -> None:
        self._require(Status.LISTED, "suspend")
        self.transition(events.ProductSuspended, "suspend", actor, now, Status.SUSPENDED, note)

    def reinstate(self, actor, now: datetime, note: str) -> None:
        self._require(Status.SUSPENDED, "reinstate")
        if now >= self.valid_until:
            raise TransitionRefused("the listing's term has ended; renew it instead", "valid_until")
        self.transition(events.ProductReinstated, "reinstate", actor, now, Status.LISTED, note)

    def renew(self, actor, now: datetime, policy: Policy, note: str) -> None:
        self._require((Status.LISTED, Status.EXPIRED), "renew")
        start = max(now, self.valid_until)
        if self.status == Status.EXPIRED:
            self.listed_at = now
        self.valid_until = start + timedelta(days=policy.listing_term_days)
        self.transition(events.ProductRenewed, "renew", actor, now, Status.LISTED, note)

    def expire(self, actor, now: datetime) -> bool:
        if self.status not in (Status.LISTED, Status.SUSPENDED) or now < self.valid_until:
            return False
        self.transition(events.ProductExpired, "expire", actor, now, Status.EXPIRED, "term ended")
        return True

    def _require(self, allowed, action: str) -> None:
        allowed = allowed if isinstance(allowed, tuple) else (allowed,)
        if self.status not in allowed:
            raise TransitionRefused(f"cannot {action} a product that is {self.status}", "status")
