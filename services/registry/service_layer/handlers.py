"""Registry handlers in two tables (COMMANDS: writes, QUERIES: reads), dispatched by the
message bus (services.common.bus), and the subscriptions table (events).

A handler is `async def h(cmd, uow, deps)`. Handlers not yet moved onto the bus keep their
old `(cmd, deps)` shape behind `unconverted(...)`: they open their own unit of work, so they
sit in QUERIES (the bus enters no transaction for them) and keep the one retry here."""

from services.common.bus import MessageBus, Sweep
from services.common.identity import SYSTEM
from services.common.mongo import with_retry
from services.registry.domain import (
    annual_commands,  # annual reports & obligations
    commands,
    report_commands,
)
from services.registry.service_layer import (
    annual_reports,
    contracts,
    lifecycle,
    obligations,
    packages,
    reporting_deadlines,
    saved_searches,
    search,
    statistics,
    tech_reports,
)
from services.registry.service_layer.deps import Deps


def unconverted(handler):
    """An old-style `handler(cmd, deps)` (its own unit of work) as a bus entry."""
    async def entry(cmd, uow, deps: Deps):
        return await with_retry(lambda: handler(cmd, deps))
    entry.__name__ = entry.__qualname__ = handler.__name__
    return entry


COMMANDS = {
    # annual reports & obligations
    annual_commands.OverseeInstitution: annual_reports.oversee_institution,
    annual_commands.ReleaseInstitution: annual_reports.release_institution,
    annual_commands.FileAnnualReport: annual_reports.file_annual_report,
    annual_commands.ApproveAnnualReport: annual_reports.approve_annual_report,
    annual_commands.ReturnAnnualReport: annual_reports.return_annual_report,
    annual_commands.FlagMissingReports: Sweep(reporting_deadlines.deadlines_due, reporting_deadlines.flag_deadline),
    annual_commands.RegisterFundedProject: obligations.register_funded_project,
    annual_commands.CheckObligations: Sweep(obligations.ended_unflagged, obligations.flag_if_owed),
    # technology reports, saved searches
    report_commands.FileTechReport: tech_reports.file_tech_report,
    report_commands.RequestReportAccess: tech_reports.request_report_access,
    report_commands.DecideReportAccess: tech_reports.decide_report_access,
    report_commands.SaveSearch: saved_searches.save_search,
    report_commands.DeleteSavedSearch: saved_searches.delete_saved_search,
}

QUERIES = {
    commands.DraftAchievement: unconverted(lifecycle.draft_achievement),
    commands.SubmitAchievement: unconverted(lifecycle.submit_achievement),
    commands.ApproveAchievement: unconverted(lifecycle.approve_achievement),
    commands.ReturnAchievement: unconverted(lifecycle.return_achievement),
    commands.RejectAchievement: unconverted(lifecycle.reject_achievement),
    commands.WithdrawAchievement: unconverted(lifecycle.withdraw_achievement),
    commands.LodgeObjection: unconverted(lifecycle.lodge_objection),
    commands.ResolveObjection: unconverted(lifecycle.resolve_objection),
    commands.RecordTransformation: unconverted(lifecycle.record_transformation),
    commands.ConcludeNotices: unconverted(lifecycle.conclude_notices),
    commands.FileContract: unconverted(contracts.file_contract),
    commands.RegisterContract: unconverted(contracts.register_contract),
    commands.RefuseContract: unconverted(contracts.refuse_contract),
    commands.ExtendContract: unconverted(contracts.extend_contract),
    commands.CheckContractDeadlines: unconverted(contracts.check_contract_deadlines),
    commands.CreatePackage: unconverted(packages.create_package),
    commands.PublishPackageVersion: unconverted(packages.publish_package_version),
    commands.GetAchievement: unconverted(lifecycle.get_achievement),
    commands.GetAuditTrail: unconverted(lifecycle.get_achievement),
    commands.SearchAchievements: unconverted(search.search_achievements),
    commands.MatchNeed: unconverted(search.match_need),
    commands.GetContract: unconverted(contracts.get_contract),
    commands.GetStatistics: unconverted(statistics.get_statistics),
    commands.GetTradingMap: unconverted(statistics.get_trading_map),
    commands.GetPackage: unconverted(packages.get_package),
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


# consumer group -> {event type -> handler(message, envelope, uow)}
SUBSCRIPTIONS = {
    "saved-searches": {"bth.registry.v1.AchievementRegistered": saved_searches.on_achievement_registered},
}
