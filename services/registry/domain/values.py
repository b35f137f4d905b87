"""Value objects of the achievement record (pure)."""

from dataclasses import dataclass
from datetime import datetime


@dataclass
class TeamMember:
    name: str
    role: str = ""


@dataclass
class Funding:
    fiscal: bool = False
    plan: str = ""
    project_code: str = ""


@dataclass
class LinkedIp:
    kind: str
    reference: str
    title: str = ""


@dataclass
class AuditEntry:
    action: str
    actor: str
    organisation: str
    at: datetime
    from_state: str
    to_state: str
    note: str = ""


@dataclass
class Objection:
    objection_id: str
    lodged_by: str
    organisation: str
    reason: str
    lodged_at: datetime
    status: str = "OPEN"        # OPEN | UPHELD | DISMISSED
    resolution: str = ""
    resolved_by: str = ""


@dataclass
class Transformation:
    transformation_id: str
    kind: str
    counterparty: str
    counterparty_region: str
    amount: str
    date: str
    recorded_by: str
    recorded_at: datetime


@dataclass
class Certificate:
    certificate_id: str
    registration_number: str
    holder: str
    title: str
    issued_at: datetime
