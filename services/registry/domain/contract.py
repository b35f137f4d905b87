"""The technology contract aggregate (plan items 11, 14), pure.

FILED → REGISTERED (numbered) | REFUSED, by the registrar (operator) within the time limit
(due_at; default 7 days from filing, extendable up to 30). Past due_at undecided: one
ContractDeadlineBreached event (breached stays true; the registrar may still decide)."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime, timedelta

from services.common import money
from services.common.aggregate import Aggregate
from services.common.deals import Deal, day
from services.common.errors import Forbidden, TransitionRefused, require
from services.common.identity import Principal
from services.registry.domain import events, taxonomy

TYPES = {"development": "KF", "transfer": "ZR", "licence": "XK", "consulting": "ZX", "service": "FW"}


@dataclass
class ContractParty:
    organisation: str = ""
    name: str = ""
    region: str = ""


@dataclass(kw_only=True)
class TechnologyContract(Aggregate):
    contract_id: str
    type: str
    title: str
    seller: ContractParty
    buyer: ContractParty
    amount: str
    field: str
    filed_by: str
    filed_at: datetime
    due_at: datetime
    status: str = "FILED"
    achievement_ids: list[str] = dc_field(default_factory=list)
    breached: bool = False
    contract_number: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    note: str = ""

    @property
    def entity_id(self) -> str:
        return self.contract_id

    def _event(self, cls, actor: Principal, note: str = "") -> None:
        self.record_change(cls, actor.subject, note)

    def _registrar(self, actor: Principal, action: str) -> None:
        if not actor.has("operator", "system"):
            raise Forbidden(f"only the registrar (operator) may {action} a contract", "actor")
        if self.status != "FILED":
            raise TransitionRefused(f"cannot {action} a contract that is {self.status}", "status")

    def register(self, actor: Principal, now: datetime, body_code: str, serial: int, note: str = "") -> None:
        self._registrar(actor, "register")
        self.status, self.decided_by, self.decided_at, self.note = "REGISTERED", actor.subject, now, note
        self.contract_number = contract_number(body_code, now.year, self.type, serial)
        dealt = Deal(self.type, self.amount, self.field, self.seller.region, self.buyer.region, day(now),
                     self.seller.organisation or self.seller.name, self.buyer.organisation or self.buyer.name,
                     self.contract_id)
        self.record_change(events.ContractRegistered, actor.subject, self.contract_number, dealt)

    def refuse(self, actor: Principal, now: datetime, note: str) -> None:
        require(bool(note.strip()), "a note giving the reason is required", "note")
        self._registrar(actor, "refuse")
        self.status, self.decided_by, self.decided_at, self.note = "REFUSED", actor.subject, now, note
        self._event(events.ContractRefused, actor, note)

    def extend(self, actor: Principal, days: int, max_days: int, note: str = "") -> None:
        self._registrar(actor, "extend the time limit of")
        require(1 <= days <= max_days, f"the time limit is 1 to {max_days} days from filing", "days")
        due = self.filed_at + timedelta(days=days)
        require(due > self.due_at, "an extension must move the time limit later", "days")
        self.due_at, self.breached = due, False
        self._event(events.ContractDeadlineExtended, actor, note or f"{days} days")

    def check_deadline(self, actor: Principal, now: datetime) -> bool:
        if self.status != "FILED" or self.breached or now < self.due_at:
            return False
        self.breached = True
        self._event(events.ContractDeadlineBreached, actor, f"due {self.due_at.isoformat()}")
        return True


def contract_number(body_code: str, year: int, contract_type: str, serial: int) -> str:
    """Deterministic: <registering body>-<year>-JS<type flag>-<serial, 6 digits>, e.g. 110000-2026-JSXK-000001."""
    return f"{body_code}-{year}-JS{TYPES[contract_type]}-{serial:06d}"


def counter_key(body_code: str, year: int) -> str:
    return f"contract:{body_code}:{year}"


def file(contract_id: str, actor: Principal, now: datetime, limit_days: int, *, type: str, title: str,
         seller: dict, buyer: dict, amount: str, field: str, achievement_ids: list[str]) -> TechnologyContract:
    seller = ContractParty(**{**seller, "organisation": seller.get("organisation") or actor.organisation,
                              "region": seller.get("region") or actor.region})
    buyer = ContractParty(**buyer)
    require(type in TYPES, f"unknown contract type {type!r} (one of {sorted(TYPES)})", "type")
    require(0 < len(title.strip()) <= 200, "title is required (at most 200 characters)", "title")
    if seller.organisation != actor.organisation and not actor.has("operator"):
        raise Forbidden("the seller files its own contracts", "seller.organisation")
    require(bool(seller.organisation), "the seller organisation is required", "seller.organisation")
    require(seller.region in taxonomy.REGIONS, f"unknown region {seller.region!r}", "seller.region")
    require(actor.has("operator") or seller.region == actor.region,
            f"the seller's region is its organisation's ({actor.region})", "seller.region")
    require(bool(buyer.organisation.strip()), "the buyer organisation is required", "buyer.organisation")
    require(buyer.region in taxonomy.REGIONS, f"unknown region {buyer.region!r}", "buyer.region")
    require(field in taxonomy.FIELDS, f"unknown key field {field!r}", "field")
    value = money.amount(amount, "amount", allow_zero=True)
    c = TechnologyContract(contract_id=contract_id, type=type, title=title, seller=seller, buyer=buyer,
                           amount=f"{value:.2f}", field=field, filed_by=actor.subject, filed_at=now,
                           due_at=now + timedelta(days=limit_days), achievement_ids=list(achievement_ids))
    c._event(events.ContractFiled, actor)
    return c
