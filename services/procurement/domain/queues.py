"""Procurement's work queues (pure): who reads each, the states it shows, whether its items
have a due date and a region. The queries are in adapters/repositories.py (`queue`)."""

from services.common.queues import Rule, WorkQueue
from services.procurement.domain.product import Status

PRODUCTS = {
    # applications under review the expert has not scored (nor their own organisation's)
    "SCORING": Rule(("expert",), (Status.UNDER_REVIEW,), (Status.UNDER_REVIEW,)),
    # state: the first-set application's (first_set.status)
    "FIRST_SET_DECISIONS": Rule(("operator", "expert"), ("APPLIED",), ("APPLIED",)),
}
CLAIMS = {"CLAIMS": Rule(("operator",), ("APPLIED", "REVIEWED", "PAID", "REFUSED"), ("APPLIED", "REVIEWED"))}
DEMANDS = {"MY_DEMANDS": Rule(("buyer",), ("OPEN", "AWARDED"), ("OPEN",), due=True)}    # due: the deadline
AWARDS = {"MY_AWARDS": Rule(("buyer",))}    # region: the buyer's or the vendor's


class ProductQueue(WorkQueue): ...
class ClaimQueue(WorkQueue): ...
class DemandQueue(WorkQueue): ...
class AwardQueue(WorkQueue): ...
