"""gRPC methods of annual reports, oversight lists and fiscal obligations (only translation);
installed on RegistryServicer by grpc_api.py."""

from bth.registry.v1 import annual_report_pb2 as pb
from services.common.contracts import to_dict, to_message, to_plain
from services.common.host import grpc_method
from services.registry.domain import annual_commands as c
from services.registry.service_layer import annual_reports, obligations, reporting_deadlines


def _snap(agg) -> dict:
    return {**to_plain(agg), "version": agg.version}


def report_reply(r) -> pb.AnnualReport:
    return to_message(_snap(r), pb.AnnualReport)


def oversight_reply(o) -> pb.Oversight:
    return to_message(_snap(o), pb.Oversight)


def project_reply(p) -> pb.FundedProject:
    return to_message(_snap(p), pb.FundedProject)


def status_reply(s: dict) -> pb.ReportingStatusReply:
    return to_message({**s, "late": [_snap(r) for r in s["late"]], "reports": [_snap(r) for r in s["reports"]]},
                      pb.ReportingStatusReply)


def overdue_reply(s: dict) -> pb.OverdueObligationsReply:
    items = [{"project": _snap(i["project"]), "missing": i["missing"]} for i in s["items"]]
    return to_message({**s, "items": items}, pb.OverdueObligationsReply)


def _oversight(cls):
    return lambda req, who: cls(who, req.supervisor, req.organisation)


def _decision(cls):
    return lambda req, who: cls(who, req.report_id, req.note)


METHODS = {
    "OverseeInstitution": grpc_method(annual_reports.oversee_institution, _oversight(c.OverseeInstitution),
                                      oversight_reply),
    "ReleaseInstitution": grpc_method(annual_reports.release_institution, _oversight(c.ReleaseInstitution),
                                      oversight_reply),
    "GetOversight": grpc_method(annual_reports.get_oversight, _oversight(c.GetOversight), oversight_reply),
    "FileAnnualReport": grpc_method(
        annual_reports.file_annual_report,
        lambda req, who: c.FileAnnualReport(who, req.year, to_dict(req.deals), req.income, req.researcher_rewards,
                                            req.people_involved), report_reply),
    "GetAnnualReport": grpc_method(annual_reports.get_annual_report,
                                   lambda req, who: c.GetAnnualReport(who, req.report_id), report_reply),
    "ApproveAnnualReport": grpc_method(annual_reports.approve_annual_report, _decision(c.ApproveAnnualReport),
                                       report_reply),
    "ReturnAnnualReport": grpc_method(annual_reports.return_annual_report, _decision(c.ReturnAnnualReport),
                                      report_reply),
    "GetReportingStatus": grpc_method(reporting_deadlines.reporting_status,
                                      lambda req, who: c.GetReportingStatus(who, req.year, req.supervisor),
                                      status_reply),
    "FlagMissingReports": grpc_method(reporting_deadlines.flag_missing_reports,
                                      lambda req, who: c.FlagMissingReports(who),
                                      lambda r: to_message(r, pb.FlagMissingReportsReply)),
    "RegisterFundedProject": grpc_method(obligations.register_funded_project,
                                         lambda req, who: c.RegisterFundedProject(who, **to_dict(req)), project_reply),
    "GetFundedProject": grpc_method(obligations.get_funded_project,
                                    lambda req, who: c.GetFundedProject(who, req.project_code), project_reply),
    "ListOverdueObligations": grpc_method(obligations.list_overdue_obligations,
                                          lambda req, who: c.ListOverdueObligations(who, req.holder), overdue_reply),
    "CheckObligations": grpc_method(obligations.check_obligations, lambda req, who: c.CheckObligations(who),
                                    lambda codes: pb.CheckObligationsReply(overdue=codes)),
}
