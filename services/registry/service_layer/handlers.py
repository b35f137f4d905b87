"""Registry handlers: plain async functions, one per command, listed in HANDLERS."""

from services.registry.domain import (
    annual_commands,  # annual reports & obligations
    commands,
    report_commands,
)
from services.registry.service_layer import (
    annual_reports,
    contracts,
    obligations,
    packages,
    reporting_deadlines,
    saved_searches,
    search,
    statistics,
    tech_reports,
)
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
    # annual reports & obligations
    annual_commands.OverseeInstitution: annual_reports.oversee_institution,
    annual_commands.ReleaseInstitution: annual_reports.release_institution,
    annual_commands.GetOversight: annual_reports.get_oversight,
    annual_commands.FileAnnualReport: annual_reports.file_annual_report,
    annual_commands.GetAnnualReport: annual_reports.get_annual_report,
    annual_commands.ApproveAnnualReport: annual_reports.approve_annual_report,
    annual_commands.ReturnAnnualReport: annual_reports.return_annual_report,
    annual_commands.GetReportingStatus: reporting_deadlines.reporting_status,
    annual_commands.FlagMissingReports: reporting_deadlines.flag_missing_reports,
    annual_commands.RegisterFundedProject: obligations.register_funded_project,
    annual_commands.GetFundedProject: obligations.get_funded_project,
    annual_commands.ListOverdueObligations: obligations.list_overdue_obligations,
    annual_commands.CheckObligations: obligations.check_obligations,
    # technology reports, saved searches, export
    report_commands.FileTechReport: tech_reports.file_tech_report,
    report_commands.GetTechReport: tech_reports.get_tech_report,
    report_commands.RequestReportAccess: tech_reports.request_report_access,
    report_commands.DecideReportAccess: tech_reports.decide_report_access,
    report_commands.SaveSearch: saved_searches.save_search,
    report_commands.ListSavedSearches: saved_searches.list_saved_searches,
    report_commands.DeleteSavedSearch: saved_searches.delete_saved_search,
    report_commands.ExportAchievements: saved_searches.export_achievements,  # returns an async iterator
}

# consumer group -> {event type -> handler(message, envelope, uow)}
SUBSCRIPTIONS = {
    "saved-searches": {"bth.registry.v1.AchievementRegistered": saved_searches.on_achievement_registered},
}


async def handle(cmd, deps: Deps):
    return await HANDLERS[type(cmd)](cmd, deps)
