"""Registry handlers in two tables (COMMANDS: writes, QUERIES: reads), dispatched by the
message bus (services.common.bus), and the subscriptions table (events).

A handler is `async def h(cmd, uow, deps)`; `Sweep(find_due, change_one)` entries are the timers'
commands (one retried unit of work per due id)."""

from services.common.bus import MessageBus, Sweep
from services.common.identity import SYSTEM
from services.registry.domain import (
    annual_commands,  # annual reports & obligations
    commands,
    report_commands,
)
from services.registry.domain import queues as queue_commands
from services.registry.service_layer import (
    annual_reports,
    contracts,
    lifecycle,
    obligations,
    packages,
    queues,
    reporting_deadlines,
    saved_searches,
    search,
    statistics,
    tech_reports,
)
from services.registry.service_layer.deps import Deps

COMMANDS = {
    commands.DraftAchievement: lifecycle.draft_achievement,
    commands.SubmitAchievement: lifecycle.submit_achievement,
    commands.ReviseAchievement: lifecycle.revise_achievement,
    commands.ApproveAchievement: lifecycle.approve_achievement,
    commands.ReturnAchievement: lifecycle.return_achievement,
    commands.RejectAchievement: lifecycle.reject_achievement,
    commands.WithdrawAchievement: lifecycle.withdraw_achievement,
    commands.LodgeObjection: lifecycle.lodge_objection,
    commands.ResolveObjection: lifecycle.resolve_objection,
    commands.RecordTransformation: lifecycle.record_transformation,
    commands.ConcludeNotices: Sweep(lifecycle.notices_due, lifecycle.register_if_concluded),
    commands.FileContract: contracts.file_contract,
    commands.RegisterContract: contracts.register_contract,
    commands.RefuseContract: contracts.refuse_contract,
    commands.ExtendContract: contracts.extend_contract,
    commands.CheckContractDeadlines: Sweep(contracts.contracts_due, contracts.breach_if_due),
    commands.CreatePackage: packages.create_package,
    commands.PublishPackageVersion: packages.publish_package_version,
    # annual reports & obligations
    annual_commands.OverseeInstitution: annual_reports.oversee_institution,
    annual_commands.ReleaseInstitution: annual_reports.release_institution,
    annual_commands.FileAnnualReport: annual_reports.file_annual_report,
    annual_commands.ApproveAnnualReport: annual_reports.approve_annual_report,
    annual_commands.ReturnAnnualReport: annual_reports.return_annual_report,
    annual_commands.FlagMissingReports: Sweep(reporting_deadlines.deadlines_due, reporting_deadlines.flag_deadline),
    annual_commands.RegisterFundedProject: obligations.register_funded_project,
    annual_commands.CheckObligations: Sweep(obligations.ended_unmet, obligations.assess),
    # technology reports, saved searches
    report_commands.FileTechReport: tech_reports.file_tech_report,
    report_commands.RequestReportAccess: tech_reports.request_report_access,
    report_commands.DecideReportAccess: tech_reports.decide_report_access,
    report_commands.SaveSearch: saved_searches.save_search,
    report_commands.DeleteSavedSearch: saved_searches.delete_saved_search,
}

QUERIES = {
    commands.GetAchievement: lifecycle.get_achievement,
    commands.GetAuditTrail: lifecycle.get_achievement,
    commands.SearchAchievements: search.search_achievements,
    commands.MatchNeed: search.match_need,
    commands.GetContract: contracts.get_contract,
    commands.GetStatistics: statistics.get_statistics,
    commands.GetTradingMap: statistics.get_trading_map,
    commands.GetPackage: packages.get_package,
    # annual reports & obligations
    annual_commands.GetOversight: annual_reports.get_oversight,
    annual_commands.GetAnnualReport: annual_reports.get_annual_report,
    annual_commands.GetReportingStatus: reporting_deadlines.reporting_status,
    annual_commands.GetFundedProject: obligations.get_funded_project,
    annual_commands.ListOverdueObligations: obligations.list_overdue_obligations,
    # technology reports, saved searches, export
    report_commands.GetTechReport: tech_reports.get_tech_report,
    report_commands.ListSavedSearches: saved_searches.list_saved_searches,
    report_commands.ExportAchievements: saved_searches.export_achievements,  # an async iterator
    # work queues
    queue_commands.AchievementQueue: queues.achievement_queue,
    queue_commands.AnnualReportQueue: queues.annual_report_queue,
    queue_commands.ObligationQueue: queues.obligation_queue,
}

HANDLERS = {**COMMANDS, **QUERIES}


def bus(deps: Deps) -> MessageBus:
    return MessageBus(COMMANDS, QUERIES, deps.uow, deps)


async def handle(cmd, deps: Deps):
    """Dispatch one command (retried unit of work for writes; reads without a transaction)."""
    return await bus(deps).handle(cmd)


async def conclude_notices(deps: Deps) -> list[str]:
    """What the worker's timer calls: the achievements registered at the end of their notice."""
    return await handle(commands.ConcludeNotices(SYSTEM), deps)


async def check_contract_deadlines(deps: Deps) -> list[str]:
    """What the worker's timer calls: the contracts whose time limit was breached now."""
    return await handle(commands.CheckContractDeadlines(SYSTEM), deps)


async def flag_reporting_deadlines(deps: Deps) -> dict | None:
    """What the worker's timer calls: missing annual reports and overdue supervisors flagged now,
    then funded projects overdue on their obligations."""
    flagged = reporting_deadlines.flagged(await handle(annual_commands.FlagMissingReports(SYSTEM), deps))
    flagged["obligations"] = await handle(annual_commands.CheckObligations(SYSTEM), deps)
    return flagged if any(flagged.values()) else None


# consumer group -> {event type -> handler(message, envelope, uow)}: the API process's consumers,
# and (STREAMED) the worker's faust agents; both with the inbox, bounded retries and the DLQ
SUBSCRIPTIONS = {
    "saved-searches": {"bth.registry.v1.AchievementRegistered": saved_searches.on_achievement_registered},
    "deal-statistics": dict.fromkeys(statistics.DEAL_EVENTS, statistics.count_deal_event),
}
STREAMED = frozenset({"deal-statistics"})


def consumed() -> dict:
    """The subscriptions the API process consumes itself (the STREAMED ones run in the worker)."""
    return {group: table for group, table in SUBSCRIPTIONS.items() if group not in STREAMED}
