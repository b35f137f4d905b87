"""Events of annual reports, oversight lists and fiscal obligations (past tense). Each name
matches a message in proto/bth/registry/v1/annual_report.proto; every event carries the full
snapshot of its entity (with `version`)."""

from dataclasses import dataclass

from services.common.aggregate import Event


@dataclass
class AnnualReportEvent(Event):
    report_id: str
    report: dict
    actor: str
    note: str = ""


class AnnualReportFiled(AnnualReportEvent): ...
class AnnualReportReturned(AnnualReportEvent): ...
class AnnualReportApproved(AnnualReportEvent): ...
class AnnualReportMissing(AnnualReportEvent): ...


@dataclass
class OversightEvent(Event):
    supervisor: str
    oversight: dict
    actor: str
    note: str = ""


class InstitutionOverseen(OversightEvent): ...
class InstitutionReleased(OversightEvent): ...


@dataclass
class AnnualReportFilingOverdue(Event):
    supervisor: str
    oversight: dict
    year: int
    pending: list        # overseen institutions whose report the supervisor has not approved
    actor: str = "system"


@dataclass
class ObligationEvent(Event):
    project_code: str
    project: dict
    actor: str
    note: str = ""


class FundedProjectRegistered(ObligationEvent): ...
class ObligationOverdue(ObligationEvent): ...
class ObligationMet(ObligationEvent): ...
