"""The registry's work queues (pure): who reads each, the states it shows, whether its items
have a due date and a region. The queries are in adapters/ (repositories' `queue`)."""

from datetime import datetime, time, timedelta

from services.common.queues import Rule, WorkQueue
from services.registry.domain.annual_report import CHINA
from services.registry.domain.model import Status

OPERATOR = ("operator",)

ACHIEVEMENTS = {
    "REVIEW": Rule(("supervisor", "operator"), (Status.SUBMITTED,), (Status.SUBMITTED,)),
    "OBJECTIONS": Rule(OPERATOR, (Status.IN_NOTICE,), (Status.IN_NOTICE,), due=True),       # notice end
    "NOTICES_ENDING": Rule(OPERATOR, (Status.IN_NOTICE,), (Status.IN_NOTICE,), due=True),   # notice end
    "MY_DRAFTS": Rule(("institution", "enterprise"), (Status.DRAFT, Status.RETURNED),
                      (Status.DRAFT, Status.RETURNED)),
}
ANNUAL_REPORTS = {   # due: the supervisor's deadline; reports carry no region
    "ANNUAL_REPORTS": Rule(("supervisor", "operator"), ("FILED", "RETURNED", "APPROVED", "MISSING"), ("FILED",),
                           due=True, regional=False),
}
OBLIGATIONS = {      # funded projects flagged overdue (ObligationOverdue), due: their end date
    "OVERDUE_OBLIGATIONS": Rule(OPERATOR, due=True, regional=False),
}


class AchievementQueue(WorkQueue): ...
class AnnualReportQueue(WorkQueue): ...
class ObligationQueue(WorkQueue): ...


def last_day_due_before(moment: datetime) -> str:
    """The last deadline day (YYYY-MM-DD) that ends strictly before `moment`: deadline days end
    at midnight Beijing time (annual_report.due_at)."""
    local = moment.astimezone(CHINA)
    day = local.date() - timedelta(days=2 if local.timetz().replace(tzinfo=None) == time() else 1)
    return day.isoformat()
