"""Incubation's work queues (pure): who reads each, the states it shows, whether its items
have a due date and a region. The queries are in adapters/repositories.py (`queue`)."""

from services.common.queues import Rule, WorkQueue
from services.incubation.domain.cases import OPEN
from services.incubation.domain.stations import StationStatus

STATIONS = {"STATION_APPROVALS": Rule(("operator",), tuple(StationStatus), (StationStatus.APPLIED,))}
CASES = {   # state: the case's stage (open stages only: they have a due date); due: the stage's SLA
    "SLA_BREACHES": Rule(("operator",), OPEN, OPEN, due=True),     # due before now (per the clock)
    "MY_CASES": Rule(("station",), OPEN, OPEN, due=True),          # the caller's station's cases
}


class StationQueue(WorkQueue): ...
class CaseQueue(WorkQueue): ...
