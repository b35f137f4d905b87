"""Registry gRPC servicer, built from the RPC table: request → command → bus → reply
(services.common.rpc). Translation only; the bus holds the retry and the unit of work."""

from google.protobuf import json_format

from bth.registry.v1 import (
    achievement_pb2,
    annual_report_pb2,
    contract_pb2,
    package_pb2,
    registry_service_pb2,
    registry_service_pb2_grpc,
)
from services.common.contracts import to_message, to_plain
from services.common.rpc import from_request, rpc, servicer, work_queue
from services.registry.domain import commands as c
from services.registry.domain import queues as q
from services.registry.entrypoints import grpc_annual, grpc_reports
from services.registry.service_layer import handlers

pb = registry_service_pb2


def achievement_reply(a) -> achievement_pb2.Achievement:
    return to_message(a.snapshot(), achievement_pb2.Achievement)


def audit_reply(a) -> pb.AuditTrail:
    return to_message({"achievement_id": a.achievement_id, "entries": to_plain(a.audit)}, pb.AuditTrail)


def search_reply(result: dict) -> pb.SearchReply:
    items = [{**i, "achievement": i["achievement"].snapshot()} for i in result["items"]]
    return to_message({"items": items, "next_cursor": result["next_cursor"]}, pb.SearchReply)


def revision(req, who) -> c.ReviseAchievement:
    """The named fields of `record` (an empty one too: proto3 drops empty values)."""
    record = json_format.MessageToDict(req.record, always_print_fields_with_no_presence=True,
                                       preserving_proto_field_name=True)
    changes = {f: record.get(f) for f in req.fields}
    return c.ReviseAchievement(who, req.achievement_id, changes, req.submit, req.note)


def contract_reply(contract) -> contract_pb2.TechnologyContract:
    return to_message(to_plain(contract), contract_pb2.TechnologyContract)


def package_reply(package) -> package_pb2.AchievementPackage:
    return to_message(to_plain(package), package_pb2.AchievementPackage)


def achievement(cls):
    return rpc(from_request(cls), achievement_reply)


def contract(cls):
    return rpc(from_request(cls), contract_reply)


def package(cls):
    return rpc(from_request(cls), package_reply)


def statistics(cls, reply_cls):
    return rpc(from_request(cls), lambda result: to_message(result, reply_cls))


RPCS = {
    "DraftAchievement": achievement(c.DraftAchievement),
    "SubmitAchievement": achievement(c.SubmitAchievement),
    "GetAchievement": achievement(c.GetAchievement),
    "ApproveAchievement": achievement(c.ApproveAchievement),
    "ReturnAchievement": achievement(c.ReturnAchievement),
    "RejectAchievement": achievement(c.RejectAchievement),
    "WithdrawAchievement": achievement(c.WithdrawAchievement),
    "LodgeObjection": achievement(c.LodgeObjection),
    "ResolveObjection": achievement(c.ResolveObjection),
    "RecordTransformation": achievement(c.RecordTransformation),
    "GetAuditTrail": rpc(from_request(c.GetAuditTrail), audit_reply),
    "ConcludeNotices": rpc(from_request(c.ConcludeNotices), lambda ids: pb.ConcludeNoticesReply(registered=ids)),
    "SearchAchievements": rpc(from_request(c.SearchAchievements), search_reply),
    "MatchNeed": rpc(from_request(c.MatchNeed), search_reply),
    "FileContract": contract(c.FileContract),
    "GetContract": contract(c.GetContract),
    "RegisterContract": contract(c.RegisterContract),
    "RefuseContract": contract(c.RefuseContract),
    "ExtendContractDeadline": contract(c.ExtendContract),
    "CheckContractDeadlines": rpc(from_request(c.CheckContractDeadlines),
                                  lambda ids: contract_pb2.CheckContractDeadlinesReply(breached=ids)),
    "GetStatistics": statistics(c.GetStatistics, contract_pb2.StatisticsReply),
    "GetTradingMap": statistics(c.GetTradingMap, contract_pb2.TradingMapReply),
    "CreatePackage": package(c.CreatePackage),
    "PublishPackageVersion": package(c.PublishPackageVersion),
    "GetPackage": package(c.GetPackage),
    "ReviseAchievement": rpc(revision, achievement_reply),
    "AchievementQueue": work_queue(q.AchievementQueue, pb.AchievementPage, achievement_pb2.Achievement),
    "AnnualReportQueue": work_queue(q.AnnualReportQueue, pb.AnnualReportPage, annual_report_pb2.AnnualReport),
    "ObligationQueue": work_queue(q.ObligationQueue, pb.FundedProjectPage, annual_report_pb2.FundedProject),
    **grpc_reports.METHODS,   # technology reports, saved searches, export
    **grpc_annual.METHODS,    # annual reports & obligations
}

RegistryServicer = servicer("RegistryServicer", registry_service_pb2_grpc.RegistryServiceServicer, RPCS,
                            handlers.bus)
