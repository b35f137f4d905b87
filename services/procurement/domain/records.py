"""Value objects shared by procurement aggregates (pure)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass
class AuditEntry:
    action: str
    actor: str
    organisation: str
    at: datetime
    from_state: str = ""
    to_state: str = ""
    note: str = ""


@dataclass
class Indicator:
    name: str
    value: str
    unit: str = ""


@dataclass
class Review:
    expert: str
    organisation: str
    score: int
    opinion: str
    at: datetime


@dataclass
class FirstSet:
    status: str = "NONE"    # NONE | APPLIED | RECOGNISED | REFUSED
    own_ip: bool = False
    major_breakthrough: bool = False
    units_sold_in_region: int = 0
    note: str = ""
    recognised_at: datetime | None = None
