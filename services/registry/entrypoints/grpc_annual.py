"""The RPC table of annual reports, oversight lists and fiscal obligations (translation only:
request → command → bus → reply); grpc_api.py adds it to the registry servicer's table."""

from bth.registry.v1 import annual_report_pb2 as pb
from services.common.rpc import from_request, reply, rpc
from services.registry.domain import annual_commands as c
from services.registry.service_layer.reporting_deadlines import flagged


def _oversight(cls):
    return rpc(from_request(cls), reply(pb.Oversight))


def _report(cls):
    return rpc(from_request(cls), reply(pb.AnnualReport))


METHODS = {
    "OverseeInstitution": _oversight(c.OverseeInstitution),
    "ReleaseInstitution": _oversight(c.ReleaseInstitution),
    "GetOversight": _oversight(c.GetOversight),
    "FileAnnualReport": _report(c.FileAnnualReport),
    "GetAnnualReport": _report(c.GetAnnualReport),
    "ApproveAnnualReport": _report(c.ApproveAnnualReport),
    "ReturnAnnualReport": _report(c.ReturnAnnualReport),
    "GetReportingStatus": rpc(from_request(c.GetReportingStatus), reply(pb.ReportingStatusReply)),
    "FlagMissingReports": rpc(from_request(c.FlagMissingReports),
                              lambda ids: pb.FlagMissingReportsReply(**flagged(ids))),
    "RegisterFundedProject": rpc(from_request(c.RegisterFundedProject), reply(pb.FundedProject)),
    "GetFundedProject": rpc(from_request(c.GetFundedProject), reply(pb.FundedProject)),
    "ListOverdueObligations": rpc(from_request(c.ListOverdueObligations), reply(pb.OverdueObligationsReply)),
    "CheckObligations": rpc(from_request(c.CheckObligations), lambda codes: pb.CheckObligationsReply(overdue=codes)),
}
