"""The RPC table of annual reports, oversight lists and fiscal obligations (translation only:
request → command → bus → reply); grpc_api.py adds it to the registry servicer's table."""

from bth.registry.v1 import annual_report_pb2 as pb
from services.common.contracts import to_dict
from services.common.rpc import reply, rpc
from services.registry.domain import annual_commands as c
from services.registry.service_layer.reporting_deadlines import flagged


def _oversight(cls):
    return rpc(lambda req, who: cls(who, req.supervisor, req.organisation), reply(pb.Oversight))


def _decision(cls):
    return rpc(lambda req, who: cls(who, req.report_id, req.note), reply(pb.AnnualReport))


def _file(req, who) -> c.FileAnnualReport:
    return c.FileAnnualReport(who, req.year, to_dict(req.deals), req.income, req.researcher_rewards,
                              req.people_involved)


METHODS = {
    "OverseeInstitution": _oversight(c.OverseeInstitution),
    "ReleaseInstitution": _oversight(c.ReleaseInstitution),
    "GetOversight": _oversight(c.GetOversight),
    "FileAnnualReport": rpc(_file, reply(pb.AnnualReport)),
    "GetAnnualReport": rpc(lambda req, who: c.GetAnnualReport(who, req.report_id), reply(pb.AnnualReport)),
    "ApproveAnnualReport": _decision(c.ApproveAnnualReport),
    "ReturnAnnualReport": _decision(c.ReturnAnnualReport),
    "GetReportingStatus": rpc(lambda req, who: c.GetReportingStatus(who, req.year, req.supervisor),
                              reply(pb.ReportingStatusReply)),
    "FlagMissingReports": rpc(lambda req, who: c.FlagMissingReports(who),
                              lambda ids: pb.FlagMissingReportsReply(**flagged(ids))),
    "RegisterFundedProject": rpc(lambda req, who: c.RegisterFundedProject(who, **to_dict(req)),
                                 reply(pb.FundedProject)),
    "GetFundedProject": rpc(lambda req, who: c.GetFundedProject(who, req.project_code), reply(pb.FundedProject)),
    "ListOverdueObligations": rpc(lambda req, who: c.ListOverdueObligations(who, req.holder),
                                  reply(pb.OverdueObligationsReply)),
    "CheckObligations": rpc(lambda req, who: c.CheckObligations(who),
                            lambda codes: pb.CheckObligationsReply(overdue=codes)),
}
