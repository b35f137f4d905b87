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
from services.common.contracts import to_dict, to_message, to_plain
from services.common.rpc import rpc, servicer, work_queue
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


def achievement(cls, *fields):
    """An RPC on one achievement: `cls(who, req.achievement_id, *req.<fields>)`, replying the record."""
    return rpc(lambda req, who: cls(who, req.achievement_id, *(getattr(req, f) for f in fields)),
               achievement_reply)


def decision(cls):
    return rpc(lambda req, who: cls(who, req.contract_id, req.note), contract_reply)


def statistics(cls, reply_cls):
    return rpc(lambda req, who: cls(who, req.month_from, req.month_to, req.field),
               lambda result: to_message(result, reply_cls))


def search(cls):
    return rpc(lambda req, who: cls(actor=who, **to_dict(req)), search_reply)


RPCS = {
    "DraftAchievement": rpc(lambda req, who: c.DraftAchievement(actor=who, **to_dict(req)), achievement_reply),
    "SubmitAchievement": achievement(c.SubmitAchievement),
    "GetAchievement": achievement(c.GetAchievement),
    "ApproveAchievement": achievement(c.ApproveAchievement, "note"),
    "ReturnAchievement": achievement(c.ReturnAchievement, "note"),
    "RejectAchievement": achievement(c.RejectAchievement, "note"),
    "WithdrawAchievement": achievement(c.WithdrawAchievement, "note"),
    "LodgeObjection": achievement(c.LodgeObjection, "reason"),
    "ResolveObjection": achievement(c.ResolveObjection, "objection_id", "uphold", "resolution"),
    "RecordTransformation": achievement(c.RecordTransformation, "kind", "counterparty", "counterparty_region",
                                        "amount", "date"),
    "GetAuditTrail": rpc(lambda req, who: c.GetAuditTrail(who, req.achievement_id), audit_reply),
    "ConcludeNotices": rpc(lambda req, who: c.ConcludeNotices(who),
                           lambda ids: pb.ConcludeNoticesReply(registered=ids)),
    "SearchAchievements": search(c.SearchAchievements),
    "MatchNeed": search(c.MatchNeed),
    "FileContract": rpc(lambda req, who: c.FileContract(actor=who, **to_dict(req)), contract_reply),
    "GetContract": rpc(lambda req, who: c.GetContract(who, req.contract_id), contract_reply),
    "RegisterContract": decision(c.RegisterContract),
    "RefuseContract": decision(c.RefuseContract),
    "ExtendContractDeadline": rpc(lambda req, who: c.ExtendContract(who, req.contract_id, req.days, req.note),
                                  contract_reply),
    "CheckContractDeadlines": rpc(lambda req, who: c.CheckContractDeadlines(who),
                                  lambda ids: contract_pb2.CheckContractDeadlinesReply(breached=ids)),
    "GetStatistics": statistics(c.GetStatistics, contract_pb2.StatisticsReply),
    "GetTradingMap": statistics(c.GetTradingMap, contract_pb2.TradingMapReply),
    "CreatePackage": rpc(lambda req, who: c.CreatePackage(actor=who, **to_dict(req)), package_reply),
    "PublishPackageVersion": rpc(lambda req, who: c.PublishPackageVersion(
        who, req.package_id, list(req.achievement_ids), req.note), package_reply),
    "GetPackage": rpc(lambda req, who: c.GetPackage(who, req.package_id), package_reply),
    "ReviseAchievement": rpc(revision, achievement_reply),
    "AchievementQueue": work_queue(q.AchievementQueue, pb.AchievementPage, achievement_pb2.Achievement),
    "AnnualReportQueue": work_queue(q.AnnualReportQueue, pb.AnnualReportPage, annual_report_pb2.AnnualReport),
    "ObligationQueue": work_queue(q.ObligationQueue, pb.FundedProjectPage, annual_report_pb2.FundedProject),
    **grpc_reports.METHODS,   # technology reports, saved searches, export
    **grpc_annual.METHODS,    # annual reports & obligations
}

RegistryServicer = servicer("RegistryServicer", registry_service_pb2_grpc.RegistryServiceServicer, RPCS,
                            handlers.bus)
