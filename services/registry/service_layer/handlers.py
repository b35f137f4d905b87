"""Registry handlers: plain async functions, one per command, listed in HANDLERS."""

from services.registry.domain import commands
from services.registry.service_layer import contracts, packages, search, statistics
from services.registry.service_layer.deps import Deps
from services.registry.service_layer.lifecycle import (
    approve_achievement,
    conclude_notices,
    draft_achievement,
    get_achievement,
    lodge_objection,
    record_transformation,
    reject_achievement,
    resolve_objection,
    return_achievement,
    submit_achievement,
    withdraw_achievement,
)

HANDLERS = {
    commands.DraftAchievement: draft_achievement,
    commands.SubmitAchievement: submit_achievement,
    commands.GetAchievement: get_achievement,
    commands.ApproveAchievement: approve_achievement,
    commands.ReturnAchievement: return_achievement,
    commands.RejectAchievement: reject_achievement,
    commands.WithdrawAchievement: withdraw_achievement,
    commands.LodgeObjection: lodge_objection,
    commands.ResolveObjection: resolve_objection,
    commands.RecordTransformation: record_transformation,
    commands.GetAuditTrail: get_achievement,
    commands.ConcludeNotices: conclude_notices,
    commands.SearchAchievements: search.search_achievements,
    commands.MatchNeed: search.match_need,
    commands.FileContract: contracts.file_contract,
    commands.GetContract: contracts.get_contract,
    commands.RegisterContract: contracts.register_contract,
    commands.RefuseContract: contracts.refuse_contract,
    commands.ExtendContract: contracts.extend_contract,
    commands.CheckContractDeadlines: contracts.check_contract_deadlines,
    commands.GetStatistics: statistics.get_statistics,
    commands.CreatePackage: packages.create_package,
    commands.PublishPackageVersion: packages.publish_package_version,
    commands.GetPackage: packages.get_package,
}


async def handle(cmd, deps: Deps):
    return await HANDLERS[type(cmd)](cmd, deps)
