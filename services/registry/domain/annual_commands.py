"""Commands of annual reports, oversight lists and fiscal obligations (imperative names)."""

from dataclasses import dataclass
from dataclasses import field as dc_field

from services.common.identity import Principal


@dataclass(frozen=True)
class OverseeInstitution:
    actor: Principal
    supervisor: str = ""         # default: the caller's organisation
    organisation: str = ""


class ReleaseInstitution(OverseeInstitution): ...
class GetOversight(OverseeInstitution): ...


@dataclass(frozen=True)
class FileAnnualReport:
    actor: Principal
    year: int = 0
    deals: dict = dc_field(default_factory=dict)
    income: str = ""
    researcher_rewards: str = ""
    people_involved: int = 0


@dataclass(frozen=True)
class GetAnnualReport:
    actor: Principal
    report_id: str


@dataclass(frozen=True)
class DecideAnnualReport:
    actor: Principal
    report_id: str
    note: str = ""


class ApproveAnnualReport(DecideAnnualReport): ...
class ReturnAnnualReport(DecideAnnualReport): ...


@dataclass(frozen=True)
class GetReportingStatus:
    actor: Principal
    year: int = 0
    supervisor: str = ""


@dataclass(frozen=True)
class FlagMissingReports:
    actor: Principal


@dataclass(frozen=True)
class RegisterFundedProject:
    actor: Principal
    project_code: str = ""
    fiscal_plan: str = ""
    title: str = ""
    holder: str = ""
    end_date: str = ""


@dataclass(frozen=True)
class GetFundedProject:
    actor: Principal
    project_code: str


@dataclass(frozen=True)
class ListOverdueObligations:
    actor: Principal
    holder: str = ""


@dataclass(frozen=True)
class CheckObligations:
    actor: Principal
