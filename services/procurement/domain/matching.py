"""Ranking of listed products and registered achievements against a demand (pure).
Score: 10 per shared keyword, 20 for the same category, 10 if the price is within budget,
5 for the same region, 3 for a recognised first set; ties broken by id."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from services.common.aggregate import Aggregate
from services.procurement.domain import events, text
from services.procurement.domain.policy import REGIONS

LIMIT = 10


@dataclass
class Suggestion:
    kind: str
    ref_id: str
    title: str
    score: float
    reason: str


@dataclass(kw_only=True)
class Suggestions(Aggregate):
    demand_id: str
    items: list[Suggestion] = field(default_factory=list)
    updated_at: datetime | None = None

    @property
    def entity_id(self) -> str:
        return self.demand_id

    def update(self, items: list[Suggestion], region: str, now: datetime) -> bool:
        if items == self.items:
            return False
        self.items, self.updated_at = items, now
        self.record_change(events.DemandSuggestionsUpdated, region, list(REGIONS))
        return True


def rank_product(demand: dict, product: dict) -> Suggestion | None:
    shared = sorted(set(demand["tokens"]) & set(product.get("tokens", [])))
    score, reasons = 10.0 * len(shared), []
    if shared:
        reasons.append("keywords: " + ", ".join(shared))
    if product["category"] == demand["category"]:
        score += 20
        reasons.append("same category")
    if not reasons:
        return None
    if Decimal(product["price"]) <= Decimal(demand["budget"]):
        score += 10
        reasons.append("within budget")
    if product["region"] == demand["region"]:
        score += 5
        reasons.append("same region")
    if product.get("is_first_set"):
        score += 3
        reasons.append("first set")
    return Suggestion("product", product["product_id"], product["name"], score, "; ".join(reasons))


def rank_achievement(demand: dict, achievement: dict) -> Suggestion | None:
    words = text.tokens(achievement.get("title", ""), achievement.get("abstract", ""),
                        *achievement.get("keywords", []))
    shared = sorted(set(demand["tokens"]) & set(words))
    if not shared:
        return None
    score, reasons = 10.0 * len(shared), ["keywords: " + ", ".join(shared)]
    if achievement.get("region") == demand["region"]:
        score += 5
        reasons.append("same region")
    return Suggestion("achievement", achievement["achievement_id"], achievement.get("title", ""), score,
                      "; ".join(reasons))


def _order(s: Suggestion) -> tuple:
    return -s.score, s.kind, s.ref_id


def rank(demand: dict, products: list[dict], achievements: list[dict]) -> list[Suggestion]:
    found = [s for p in products if (s := rank_product(demand, p))]
    found += [s for a in achievements if (s := rank_achievement(demand, a))]
    return sorted(found, key=_order)[:LIMIT]


def rescore(current: list[Suggestion], kind: str, ref_id: str, new: Suggestion | None) -> list[Suggestion] | None:
    """The ranking after one candidate changed (`new`: its suggestion now, None if it no longer
    qualifies), from the current top LIMIT alone; None when that cannot tell: the candidate was
    in a full list and fell, so one not kept may take its place (then rank all)."""
    was = next((s for s in current if s.kind == kind and s.ref_id == ref_id), None)
    if len(current) >= LIMIT and was is not None and (new is None or _order(new) > _order(was)):
        return None
    others = [s for s in current if s is not was]
    return sorted(others + ([new] if new else []), key=_order)[:LIMIT]
