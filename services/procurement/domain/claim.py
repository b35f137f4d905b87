"""Insurance compensation for a recognised first set (首台套保险补偿):
applied → reviewed → paid | refused (pure)."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime

from services.common import money
from services.common.aggregate import Aggregate
from services.common.errors import Forbidden, InvalidInput, TransitionRefused
from services.procurement.domain import events
from services.procurement.domain.policy import Policy
from services.procurement.domain.product import Product
from services.procurement.domain.records import AuditEntry


@dataclass(kw_only=True)
class InsuranceClaim(Aggregate):
    claim_id: str
    product_id: str
    organisation: str
    region: str
    amount: str
    reason: str
    created_at: datetime
    updated_at: datetime
    status: str = "APPLIED"
    audit: list[AuditEntry] = dc_field(default_factory=list)

    @property
    def entity_id(self) -> str:
        return self.claim_id

    def transition(self, event_cls, action: str, actor, now: datetime, to: str, note: str = "") -> None:
        before, self.status, self.updated_at = self.status, to, now
        self.audit.append(AuditEntry(action, actor.subject, actor.organisation, now, before, to, note))
        self.record_change(event_cls, actor.subject, self.region, [self.region])

    def review(self, actor, now: datetime, approve: bool, note: str) -> None:
        if self.status != "APPLIED":
            raise TransitionRefused(f"claim is {self.status}, not applied", "status")
        if actor.organisation == self.organisation:
            raise Forbidden("the claimant's own organisation may not review its claim", "organisation")
        if approve:
            self.transition(events.InsuranceClaimReviewed, "review", actor, now, "REVIEWED", note)
        else:
            self.transition(events.InsuranceClaimRefused, "refuse", actor, now, "REFUSED", note)

    def settle(self, actor, now: datetime, pay: bool, note: str) -> None:
        if self.status != "REVIEWED":
            raise TransitionRefused(f"claim is {self.status}, not reviewed", "status")
        event, to = (events.InsuranceClaimPaid, "PAID") if pay else (events.InsuranceClaimRefused, "REFUSED")
        self.transition(event, "pay" if pay else "refuse", actor, now, to, note)


def apply(claim_id: str, actor, now: datetime, policy: Policy, product: Product, amount: str,
          reason: str) -> InsuranceClaim:
    if not product.is_first_set:
        raise TransitionRefused("only a recognised first set can claim insurance compensation", "product_id")
    if product.organisation != actor.organisation:
        raise Forbidden("only the product's vendor may claim", "product_id")
    value = money.amount(amount, "amount", policy.max_amount)
    if not reason.strip():
        raise InvalidInput("a reason is required", "reason")
    claim = InsuranceClaim(claim_id=claim_id, product_id=product.product_id, organisation=product.organisation,
                           region=product.region, amount=str(value), reason=reason, created_at=now, updated_at=now)
    claim.transition(events.InsuranceClaimApplied, "apply", actor, now, "APPLIED")
    return claim
