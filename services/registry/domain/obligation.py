"""Fiscal obligations (issue 3 item 2), pure: a project funded by a fiscal plan must, once its
end date has passed, have a registered achievement carrying its project code (and a technology
report, where those exist); otherwise it is overdue, and ObligationOverdue is raised once. When it
owes nothing (on time, or later: the flag then clears) it is met, ObligationMet, and done."""

from dataclasses import dataclass
from datetime import date, datetime

from services.common.aggregate import Aggregate
from services.common.errors import Forbidden, InvalidInput, require
from services.common.identity import Principal
from services.registry.domain import reporting_events as ev
from services.registry.domain.annual_report import due_at


@dataclass(kw_only=True)
class FundedProject(Aggregate):
    project_code: str
    fiscal_plan: str
    title: str
    holder: str                      # the organisation holding the project
    end_date: str                    # YYYY-MM-DD
    registered_by: str
    registered_at: datetime
    overdue: bool = False            # ObligationOverdue raised
    overdue_at: datetime | None = None
    note: str = ""
    met: bool = False                # ObligationMet raised: nothing owed, checked no further
    met_at: datetime | None = None

    @property
    def entity_id(self) -> str:
        return self.project_code

    def ended(self, now: datetime) -> bool:
        return now >= due_at(self.end_date)

    def owed(self, registered_achievements: list[str], report_holders: list[str] | None) -> list[str]:
        """What the project still owes, given the REGISTERED achievements carrying its code and the
        holder organisations of the technology reports filed for it or for those achievements
        (None: reports not tracked). Only a report of the project's holder counts: a report filed
        by another organisation does not clear the holder's obligation (issue 12 item 9)."""
        return missing_outputs(bool(registered_achievements),
                               None if report_holders is None else self.holder in report_holders)

    def assess(self, now: datetime, missing: list[str]) -> bool:
        """After the end date: owing → flagged overdue once (True: newly flagged); owing nothing →
        met, and a flag raised earlier clears (ObligationMet). Before it, and once met: no change."""
        if self.met or not self.ended(now):
            return False
        if not missing:
            was = " (was overdue: " + self.note.removeprefix("missing: ") + ")" if self.overdue else ""
            self.met, self.met_at, self.overdue, self.note = True, now, False, "met" + was
            self.record_change(ev.ObligationMet, "system", self.note)
            return False
        if self.overdue:
            return False
        self.overdue, self.overdue_at, self.note = True, now, "missing: " + ", ".join(missing)
        self.record_change(ev.ObligationOverdue, "system", self.note)
        return True


def register(actor: Principal, now: datetime, *, project_code: str, fiscal_plan: str, holder: str,
             end_date: str, title: str = "") -> FundedProject:
    if not actor.has("operator", "system"):
        raise Forbidden("only an operator registers funded projects", "actor")
    require(0 < len(project_code.strip()) <= 100, "project_code is required (at most 100 characters)", "project_code")
    require(0 < len(fiscal_plan.strip()) <= 200, "fiscal_plan is required", "fiscal_plan")
    require(0 < len(holder.strip()) <= 200, "the holder organisation is required", "holder")
    try:
        date.fromisoformat(end_date)
    except ValueError:
        raise InvalidInput("end_date must be a date YYYY-MM-DD", "end_date") from None
    p = FundedProject(project_code=project_code.strip(), fiscal_plan=fiscal_plan, title=title, holder=holder,
                      end_date=end_date, registered_by=actor.subject, registered_at=now)
    p.record_change(ev.FundedProjectRegistered, actor.subject)
    return p


def missing_outputs(has_achievement: bool, has_report: bool | None) -> list[str]:
    """What the project still owes: `has_report` None means technology reports are not
    tracked by this registry (yet), so only the achievement counts."""
    owed = [] if has_achievement else ["registered achievement"]
    if has_report is False:
        owed.append("technology report")
    return owed
