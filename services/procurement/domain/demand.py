"""Demands of buyer units and awards to listed products (pure)."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime
from decimal import Decimal

from services.common import money
from services.common.aggregate import Aggregate
from services.common.deals import Deal, day
from services.common.errors import Forbidden, InvalidInput, TransitionRefused, require
from services.common.plain import to_plain
from services.procurement.domain import events, text
from services.procurement.domain.policy import REGIONS, Policy
from services.procurement.domain.product import Product
from services.procurement.domain.records import AuditEntry


@dataclass(kw_only=True)
class Demand(Aggregate):
    demand_id: str
    need: str
    category: str
    budget: str
    deadline: datetime
    region: str
    organisation: str
    buyer: str
    created_at: datetime
    updated_at: datetime
    status: str = "OPEN"
    audit: list[AuditEntry] = dc_field(default_factory=list)
    tokens: list[str] = dc_field(default_factory=list)

    @property
    def entity_id(self) -> str:
        return self.demand_id

    def snapshot(self) -> dict:
        plain = to_plain(self)
        plain.pop("tokens", None)
        return plain

    def snapshot_after(self) -> dict:
        return {**self.snapshot(), "version": self.version + 1}

    def transition(self, event_cls, action: str, actor, now: datetime, to: str, note: str = "") -> None:
        before, self.status, self.updated_at = self.status, to, now
        self.audit.append(AuditEntry(action, actor.subject, actor.organisation, now, before, to, note))
        self.record_change(event_cls, actor.subject, self.region, list(REGIONS))


def publish(demand_id: str, actor, now: datetime, policy: Policy, need: str, category: str, budget: str,
            deadline: datetime | None, region: str) -> Demand:
    require(0 < len(need.strip()) <= 2000, "need is required (at most 2000 characters)", "need")
    require(category in policy.categories, f"unknown category {category!r}", "category")
    value = money.amount(budget, "budget", policy.max_amount)
    require(deadline is not None and deadline > now, "deadline must be in the future", "deadline")
    require(region in REGIONS, f"region must be one of {', '.join(REGIONS)}, got {region!r}", "region")
    demand = Demand(demand_id=demand_id, need=need.strip(), category=category, budget=str(value),
                    deadline=deadline, region=region, organisation=actor.organisation, buyer=actor.subject,
                    created_at=now, updated_at=now, tokens=text.tokens(need))
    demand.transition(events.DemandPublished, "publish", actor, now, "OPEN")
    return demand


@dataclass(kw_only=True)
class Award(Aggregate):
    award_id: str
    demand_id: str
    product_id: str
    amount: str
    award_date: datetime
    buyer_organisation: str
    buyer_region: str
    vendor_organisation: str
    vendor_region: str
    field: str
    category: str
    first_set: bool
    actor: str
    created_at: datetime

    @property
    def entity_id(self) -> str:
        return self.award_id


def award(award_id: str, actor, now: datetime, policy: Policy, demand: Demand, product: Product,
          amount: str, award_date: datetime | None) -> Award:
    if demand.organisation != actor.organisation:
        raise Forbidden("only the buyer unit that published the demand may award it", "demand_id")
    if demand.status != "OPEN":
        raise TransitionRefused(f"demand is {demand.status}, not open", "demand_id")
    value = money.amount(amount, "amount", policy.max_amount)
    require(award_date is not None and award_date <= now, "award_date is required and not in the future",
            "award_date")
    if not product.listed_now(now):   # judged when the award is made, whatever date it claims
        ended = f", its term ended {product.valid_until.date()}" if product.valid_until and now >= product.valid_until \
            else ""
        raise TransitionRefused(f"product {product.product_id} is not listed now ({product.status}{ended}): an award "
                                f"is judged against the listing when it is made, not on its award_date",
                                "product_id")
    if not product.valid_on(award_date):
        raise TransitionRefused(f"product {product.product_id} is {product.status} and has no listing valid on "
                                f"{award_date.date()}", "product_id")
    limit = Decimal(demand.budget) * (1 + policy.award_tolerance)
    if value > limit:
        raise InvalidInput(f"amount {value} is over the demand's budget {demand.budget} "
                           f"(tolerance {policy.award_tolerance:%})", "amount")
    made = Award(award_id=award_id, demand_id=demand.demand_id, product_id=product.product_id, amount=str(value),
                 award_date=award_date, buyer_organisation=actor.organisation, buyer_region=demand.region,
                 vendor_organisation=product.organisation, vendor_region=product.region, field=product.field,
                 category=product.category, first_set=product.is_first_set, actor=actor.subject, created_at=now)
    dealt = Deal("award", str(value), product.field, product.region, demand.region, day(award_date),
                 product.organisation, actor.organisation, award_id)
    made.record_change(events.AwardMade, actor.subject, str(value), demand.region, product.region, product.field,
                       sorted({demand.region, product.region}), dealt)
    demand.transition(events.DemandAwarded, "award", actor, now, "AWARDED", f"award {award_id}")
    return made
