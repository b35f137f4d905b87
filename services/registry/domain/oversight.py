"""The institutions a supervising department oversees (pure): who must file annual reports."""

from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime

from services.common.aggregate import Aggregate
from services.common.errors import Forbidden, NotFound, TransitionRefused, require
from services.common.identity import Principal
from services.registry.domain import reporting_events as ev


@dataclass(kw_only=True)
class Oversight(Aggregate):
    supervisor: str                  # the supervising department's organisation
    institutions: list[str] = dc_field(default_factory=list)
    overdue_years: list[int] = dc_field(default_factory=list)   # AnnualReportFilingOverdue raised
    updated_at: datetime | None = None

    @property
    def entity_id(self) -> str:
        return self.supervisor

    def _may_edit(self, actor: Principal) -> None:
        if not (actor.has("operator") or (actor.has("supervisor") and actor.organisation == self.supervisor)):
            raise Forbidden("a supervising department edits its own list", "supervisor")

    def add(self, actor: Principal, organisation: str, now: datetime) -> None:
        self._may_edit(actor)
        require(0 < len(organisation.strip()) <= 200, "the institution's organisation is required", "organisation")
        if organisation in self.institutions:
            raise TransitionRefused(f"{organisation} is overseen already", "organisation")
        self.institutions.append(organisation)
        self.updated_at = now
        self.record_change(ev.InstitutionOverseen, actor.subject, organisation)

    def remove(self, actor: Principal, organisation: str, now: datetime) -> None:
        self._may_edit(actor)
        if organisation not in self.institutions:
            raise NotFound(f"{organisation} is not overseen by {self.supervisor}", "organisation")
        self.institutions.remove(organisation)
        self.updated_at = now
        self.record_change(ev.InstitutionReleased, actor.subject, organisation)

    def flag_overdue(self, year: int, pending: list[str]) -> bool:
        """Once per year: the supervisor deadline passed with reports not approved."""
        if year in self.overdue_years or not pending:
            return False
        self.overdue_years.append(year)
        self.record_change(ev.AnnualReportFilingOverdue, year, sorted(pending))
        return True
