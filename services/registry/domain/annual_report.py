"""Annual transformation reports (issue 3 item 4, plan item 10), pure.

A supervising department (role supervisor) keeps the list of institutions it oversees
(`Oversight`), which defines who must report per year. An overseen institution files the
previous year's figures (FILED); its supervisor approves — which files it upward — (APPROVED)
or returns it (RETURNED) and the institution refiles. The filing window comes from
configuration per cycle (`windows`); a report filed after the institution deadline is `late`;
an overseen institution without a report after the deadline gets a MISSING placeholder (one
AnnualReportMissing event), which it may still replace by filing (late)."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation

from services.common.aggregate import Aggregate
from services.common.errors import Forbidden, InvalidInput, TransitionRefused, require
from services.common.identity import Principal
from services.common.vocab import TRANSFER_MODES
from services.registry.domain import reporting_events as ev

MODES = TRANSFER_MODES  # the report's deal figures, one per transfer mode
RULE = Decimal("0.70")
CHINA = timezone(timedelta(hours=8))     # deadlines end at midnight Beijing time


def window(year: int, config: dict | None) -> tuple[str, str]:
    """(institution_deadline, supervisor_deadline) as YYYY-MM-DD for the `year` cycle: the
    configured entry (keyed by year, int or str) or March 31 / April 30 of the next year."""
    entry = (config or {}).get(year) or (config or {}).get(str(year)) or {}
    return (entry.get("institution_deadline") or f"{year + 1}-03-31",
            entry.get("supervisor_deadline") or f"{year + 1}-04-30")


def due_at(day: str) -> datetime:
    """The instant a deadline day ends (its midnight, Beijing time)."""
    return datetime.combine(date.fromisoformat(day) + timedelta(days=1), time(), CHINA)


@dataclass
class DealFigures:
    count: int = 0
    amount: str = "0.00"


@dataclass
class DealsByMode:
    transfer: DealFigures = dc_field(default_factory=DealFigures)
    licence: DealFigures = dc_field(default_factory=DealFigures)
    equity: DealFigures = dc_field(default_factory=DealFigures)
    cooperation: DealFigures = dc_field(default_factory=DealFigures)


def money(value, field: str) -> str:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        raise InvalidInput(f"{field} must be a decimal amount", field) from None
    require(amount.is_finite() and amount == amount.quantize(Decimal("0.01")),
            f"{field} must be an amount with at most 2 decimals", field)
    require(amount >= 0, f"{field} must not be negative", field)
    return f"{amount:.2f}"


def count(value, field: str) -> int:
    require(isinstance(value, int) and not isinstance(value, bool), f"{field} must be a whole number", field)
    require(value >= 0, f"{field} must not be negative", field)
    return value


@dataclass(frozen=True)
class Figures:
    deals: DealsByMode
    income: str
    researcher_rewards: str
    people_involved: int

    @classmethod
    def parse(cls, deals: dict, income, researcher_rewards, people_involved) -> "Figures":
        unknown = set(deals or {}) - set(MODES)
        require(not unknown, f"unknown deal mode(s) {sorted(unknown)} (one of {list(MODES)})", "deals")
        parsed = {}
        for mode in MODES:
            d = (deals or {}).get(mode) or {}
            parsed[mode] = DealFigures(count(d.get("count", 0), f"deals.{mode}.count"),
                                       money(d.get("amount", "0"), f"deals.{mode}.amount"))
        return cls(DealsByMode(**parsed), money(income, "income"), money(researcher_rewards, "researcher_rewards"),
                   count(people_involved, "people_involved"))

    def share(self) -> tuple[str, bool]:
        """researcher_share = rewards / income (4 decimals, "" when there is no income), and the
        70 % rule (plan item 10): met when at least 70 % of the income went to researchers."""
        income = Decimal(self.income)
        if income == 0:
            return "", False
        share = Decimal(self.researcher_rewards) / income
        return f"{share.quantize(Decimal('0.0001'))}", share >= RULE


@dataclass(kw_only=True)
class AnnualReport(Aggregate):
    report_id: str                   # <organisation>:<year>, one per institution and cycle
    organisation: str
    year: int
    supervisor: str
    institution_deadline: str
    supervisor_deadline: str
    status: str = ""                 # FILED | RETURNED | APPROVED | MISSING ("" before filing)
    deals: DealsByMode = dc_field(default_factory=DealsByMode)
    income: str = "0.00"
    researcher_rewards: str = "0.00"
    people_involved: int = 0
    researcher_share: str = ""
    meets_70_percent_rule: bool = False
    late: bool = False
    filed_by: str = ""
    filed_at: datetime | None = None
    decided_by: str = ""
    decided_at: datetime | None = None
    note: str = ""

    @property
    def entity_id(self) -> str:
        return self.report_id

    def file(self, actor: Principal, now: datetime, figures: Figures) -> None:
        if actor.organisation != self.organisation:
            raise Forbidden("an institution files its own annual report", "organisation")
        if self.status in ("FILED", "APPROVED"):
            raise TransitionRefused(f"the {self.year} report is {self.status} already", "year")
        if self.status == "MISSING" or self.filed_at is None:
            self.late = now >= due_at(self.institution_deadline)
        self.deals, self.income = figures.deals, figures.income
        self.researcher_rewards, self.people_involved = figures.researcher_rewards, figures.people_involved
        self.researcher_share, self.meets_70_percent_rule = figures.share()
        self.status, self.filed_by, self.filed_at = "FILED", actor.subject, now
        self.record_change(ev.AnnualReportFiled, actor.subject, "late" if self.late else "")

    def _decide(self, actor: Principal, action: str) -> None:
        if not (actor.has("operator") or (actor.has("supervisor") and actor.organisation == self.supervisor)):
            raise Forbidden(f"only the supervising department may {action} this report", "supervisor")
        if self.status != "FILED":
            raise TransitionRefused(f"cannot {action} a report that is {self.status}", "status")

    def approve(self, actor: Principal, now: datetime, note: str = "") -> None:
        self._decide(actor, "approve")
        self.status, self.decided_by, self.decided_at, self.note = "APPROVED", actor.subject, now, note
        self.record_change(ev.AnnualReportApproved, actor.subject, note)

    def return_for_revision(self, actor: Principal, now: datetime, note: str) -> None:
        require(bool(note.strip()), "a note saying what to revise is required", "note")
        self._decide(actor, "return")
        self.status, self.decided_by, self.decided_at, self.note = "RETURNED", actor.subject, now, note
        self.record_change(ev.AnnualReportReturned, actor.subject, note)


def report_id(organisation: str, year: int) -> str:
    return f"{organisation}:{year}"


def new(organisation: str, year: int, supervisor: str, now: datetime, config: dict | None) -> AnnualReport:
    require(1949 <= year < now.year, f"a report covers a past year (before {now.year})", "year")
    inst, sup = window(year, config)
    return AnnualReport(report_id=report_id(organisation, year), organisation=organisation, year=year,
                        supervisor=supervisor, institution_deadline=inst, supervisor_deadline=sup)


def missing(organisation: str, year: int, supervisor: str, now: datetime, config: dict | None) -> AnnualReport:
    r = new(organisation, year, supervisor, now, config)
    r.status = "MISSING"
    r.record_change(ev.AnnualReportMissing, "system", f"due {r.institution_deadline}")
    return r
