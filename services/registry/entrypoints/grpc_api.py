"""Registry gRPC servicer: decode, build the command, call the handler, encode. No logic."""

from bth.registry.v1 import achievement_pb2, contract_pb2, package_pb2, registry_service_pb2, registry_service_pb2_grpc
from services.common.contracts import to_dict, to_message, to_plain
from services.common.host import grpc_method
from services.registry.domain import commands
from services.registry.service_layer import handlers as h

pb = registry_service_pb2


def achievement_reply(a) -> achievement_pb2.Achievement:
    return to_message(a.snapshot(), achievement_pb2.Achievement)


def audit_reply(a) -> pb.AuditTrail:
    return to_message({"achievement_id": a.achievement_id, "entries": to_plain(a.audit)}, pb.AuditTrail)


def search_reply(result: dict) -> pb.SearchReply:
    items = [{**i, "achievement": i["achievement"].snapshot()} for i in result["items"]]
    return to_message({"items": items, "next_cursor": result["next_cursor"]}, pb.SearchReply)


def _ref(cls):
    return lambda req, who: cls(who, req.achievement_id)


def _review(cls):
    return lambda req, who: cls(who, req.achievement_id, req.note)


def _search(cls):
    return lambda req, who: cls(actor=who, **to_dict(req))


class RegistryServicer(registry_service_pb2_grpc.RegistryServiceServicer):
    def __init__(self, deps):
        self.deps = deps

    DraftAchievement = grpc_method(
        h.draft_achievement,
        lambda req, who: commands.DraftAchievement(actor=who, **to_dict(req)), achievement_reply)
    SubmitAchievement = grpc_method(h.submit_achievement, _ref(commands.SubmitAchievement), achievement_reply)
    GetAchievement = grpc_method(h.get_achievement, _ref(commands.GetAchievement), achievement_reply)
    ApproveAchievement = grpc_method(h.approve_achievement, _review(commands.ApproveAchievement),
                                     achievement_reply)
    ReturnAchievement = grpc_method(h.return_achievement, _review(commands.ReturnAchievement), achievement_reply)
    RejectAchievement = grpc_method(h.reject_achievement, _review(commands.RejectAchievement), achievement_reply)
    WithdrawAchievement = grpc_method(h.withdraw_achievement, _review(commands.WithdrawAchievement),
                                      achievement_reply)
    LodgeObjection = grpc_method(
        h.lodge_objection, lambda req, who: commands.LodgeObjection(who, req.achievement_id, req.reason),
        achievement_reply)
    ResolveObjection = grpc_method(
        h.resolve_objection,
        lambda req, who: commands.ResolveObjection(who, req.achievement_id, req.objection_id, req.uphold,
                                                   req.resolution), achievement_reply)
    RecordTransformation = grpc_method(
        h.record_transformation,
        lambda req, who: commands.RecordTransformation(
            who, req.achievement_id, req.kind, req.counterparty, req.counterparty_region, req.amount, req.date),
        achievement_reply)
    GetAuditTrail = grpc_method(h.get_achievement, _ref(commands.GetAuditTrail), audit_reply)
    ConcludeNotices = grpc_method(h.conclude_notices, lambda req, who: commands.ConcludeNotices(who),
                                  lambda ids: pb.ConcludeNoticesReply(registered=ids))
    SearchAchievements = grpc_method(h.search.search_achievements, _search(commands.SearchAchievements),
                                     search_reply)
    MatchNeed = grpc_method(h.search.match_need, _search(commands.MatchNeed), search_reply)


def contract_reply(c) -> contract_pb2.TechnologyContract:
    return to_message({**to_plain(c), "version": c.version}, contract_pb2.TechnologyContract)


def _decision(cls):
    return lambda req, who: cls(who, req.contract_id, req.note)


def _stats(req, who):
    return commands.GetStatistics(who, req.month_from, req.month_to, req.field)


RegistryServicer.FileContract = grpc_method(
    h.contracts.file_contract, lambda req, who: commands.FileContract(actor=who, **to_dict(req)), contract_reply)
RegistryServicer.GetContract = grpc_method(
    h.contracts.get_contract, lambda req, who: commands.GetContract(who, req.contract_id), contract_reply)
RegistryServicer.RegisterContract = grpc_method(h.contracts.register_contract,
                                                _decision(commands.RegisterContract), contract_reply)
RegistryServicer.RefuseContract = grpc_method(h.contracts.refuse_contract, _decision(commands.RefuseContract),
                                              contract_reply)
RegistryServicer.ExtendContractDeadline = grpc_method(
    h.contracts.extend_contract,
    lambda req, who: commands.ExtendContract(who, req.contract_id, req.days, req.note), contract_reply)
RegistryServicer.CheckContractDeadlines = grpc_method(
    h.contracts.check_contract_deadlines, lambda req, who: commands.CheckContractDeadlines(who),
    lambda ids: contract_pb2.CheckContractDeadlinesReply(breached=ids))
RegistryServicer.GetStatistics = grpc_method(h.statistics.get_statistics, _stats,
                                             lambda r: to_message(r, contract_pb2.StatisticsReply))
RegistryServicer.GetTradingMap = grpc_method(h.statistics.get_trading_map, _stats,
                                             lambda r: to_message(r, contract_pb2.TradingMapReply))


def package_reply(p) -> package_pb2.AchievementPackage:
    return to_message({**to_plain(p), "version": p.version}, package_pb2.AchievementPackage)


RegistryServicer.CreatePackage = grpc_method(
    h.packages.create_package, lambda req, who: commands.CreatePackage(actor=who, **to_dict(req)), package_reply)
RegistryServicer.PublishPackageVersion = grpc_method(
    h.packages.publish_package_version,
    lambda req, who: commands.PublishPackageVersion(who, req.package_id, list(req.achievement_ids), req.note),
    package_reply)
RegistryServicer.GetPackage = grpc_method(
    h.packages.get_package, lambda req, who: commands.GetPackage(who, req.package_id), package_reply)


# technology reports, saved searches, export
from services.registry.entrypoints.grpc_reports import METHODS as _REPORT_METHODS  # noqa: E402

for _name, _method in _REPORT_METHODS.items():
    setattr(RegistryServicer, _name, _method)


# annual reports & obligations
from services.registry.entrypoints.grpc_annual import METHODS as _ANNUAL_METHODS  # noqa: E402

for _name, _method in _ANNUAL_METHODS.items():
    setattr(RegistryServicer, _name, _method)
