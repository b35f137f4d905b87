"""The cooperation station aggregate: application → approval → active ⇄ suspended, the
services it offers and its yearly performance reports (pure)."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from services.common.aggregate import Aggregate
from services.common.errors import Conflict, TransitionRefused, require
from services.incubation.domain import events, vocab


class StationStatus(StrEnum):
    APPLIED = "APPLIED"
    ACTIVE = "ACTIVE"
    SUSPENDED = "SUSPENDED"
    REJECTED = "REJECTED"


@dataclass
class YearReport:
    year: int
    services_delivered: int
    enterprises_served: int
    achievements_landed: int
    filed_at: datetime
    filed_by: str


MOVES = {  # action: (allowed from, to, event)
    "approve": ({StationStatus.APPLIED}, StationStatus.ACTIVE, events.StationApproved),
    "reject": ({StationStatus.APPLIED}, StationStatus.REJECTED, events.StationRejected),
    "suspend": ({StationStatus.ACTIVE}, StationStatus.SUSPENDED, events.StationSuspended),
    "reinstate": ({StationStatus.SUSPENDED}, StationStatus.ACTIVE, events.StationReinstated),
}


@dataclass(kw_only=True)
class Station(Aggregate):
    station_id: str
    name: str
    host_organisation: str
    region: str
    applicant: str
    created_at: datetime
    updated_at: datetime
    status: StationStatus = StationStatus.APPLIED
    services: list[str] = field(default_factory=list)
    description: str = ""
    reports: list[YearReport] = field(default_factory=list)
    note: str = ""

    @property
    def entity_id(self) -> str:
        return self.station_id

    def move(self, action: str, actor: str, now: datetime, note: str = "") -> None:
        allowed, target, event = MOVES[action]
        if self.status not in allowed:
            raise TransitionRefused(f"cannot {action} a station that is {self.status}", "status")
        if action == "reject":
            require(bool(note.strip()), "a note giving the reason for the rejection is required", "note")
        require(len(note) <= 2000, "note is at most 2000 characters", "note")
        self.status, self.updated_at, self.note = target, now, note
        self.record_change(event, actor)

    def file_report(self, year: int, services_delivered: int, enterprises_served: int,
                    achievements_landed: int, actor: str, now: datetime) -> None:
        if self.status not in (StationStatus.ACTIVE, StationStatus.SUSPENDED):
            raise TransitionRefused(f"a station that is {self.status} files no reports", "status")
        require(2000 <= year <= now.year, f"year must be between 2000 and {now.year} (no future years)", "year")
        for name, value in (("services_delivered", services_delivered), ("enterprises_served", enterprises_served),
                            ("achievements_landed", achievements_landed)):
            require(value >= 0, f"{name} must not be negative", name)
        if any(r.year == year for r in self.reports):
            raise Conflict(f"the report for {year} was filed already", "year")
        self.reports.append(YearReport(year, services_delivered, enterprises_served, achievements_landed, now, actor))
        self.reports.sort(key=lambda r: r.year)
        self.updated_at = now
        self.record_change(events.StationReportFiled, actor, year)

    def report(self, year: int) -> YearReport | None:
        return next((r for r in self.reports if r.year == year), None)


def apply(station_id: str, actor, now: datetime, name: str, region: str, services: list[str],
          description: str = "") -> Station:
    require(0 < len(name.strip()) <= 200, "name is required (at most 200 characters)", "name")
    require(region in vocab.REGIONS, f"unknown region {region!r}", "region")
    require(bool(services), "a station offers at least one service", "services")
    unknown = set(services) - vocab.STATION_SERVICES
    require(not unknown, f"unknown station services {sorted(unknown)}", "services")
    require(len(description) <= 5000, "description is at most 5000 characters", "description")
    station = Station(station_id=station_id, name=name.strip(), host_organisation=actor.organisation, region=region,
                      applicant=actor.subject, created_at=now, updated_at=now, services=sorted(set(services)),
                      description=description)
    station.record_change(events.StationApplied, actor.subject)
    return station


def score(station: Station, year: int, weights: dict[str, float]) -> float | None:
    """The documented ranking score of a station for a year; None without a report."""
    report = station.report(year)
    if report is None:
        return None
    figures = {"services_delivered": report.services_delivered, "enterprises_served": report.enterprises_served,
               "achievements_landed": report.achievements_landed, "services_offered": len(station.services)}
    return round(sum(weights.get(k, 0.0) * v for k, v in figures.items()), 4)
