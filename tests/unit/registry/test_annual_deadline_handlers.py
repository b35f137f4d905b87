"""Reporting status and the FlagMissingReports sweep on fakes: the missing list once the
institution deadline has passed, AnnualReportMissing once per institution and year,
AnnualReportFilingOverdue once per supervisor and year (times from the ManualClock)."""

from datetime import UTC, datetime

import pytest

from services.common.errors import Forbidden, InvalidInput
from services.registry.domain import annual_commands as c
from services.registry.domain.oversight import Oversight
from services.registry.service_layer import handlers, reporting_deadlines
from tests.unit.registry.reporting_world import OPERATOR, OTHER_SUPERVISOR, SUPERVISOR, UNIV, annual, funded, world

AFTER_INSTITUTION_DEADLINE = datetime(2026, 3, 31, 16, 0, tzinfo=UTC)   # 1 April 00:00 in Beijing
AFTER_SUPERVISOR_DEADLINE = datetime(2026, 4, 30, 16, 0, tzinfo=UTC)


def cycle():
    uow, deps = world()
    uow.oversights.seed(Oversight(supervisor="sup-hb", institutions=["org-univ", "org-college"], version=2),
                        Oversight(supervisor="sup-tj", institutions=["org-tj"], version=1))
    late = annual(deps)
    late.late = True
    uow.annual_reports.seed(late, annual(deps, "org-tj", supervisor="sup-tj", status="APPROVED"))
    return uow, deps


async def test_status_lists_missing_institutions_only_after_the_institution_deadline():
    uow, deps = cycle()
    before = await handlers.handle(c.GetReportingStatus(SUPERVISOR, 2025), deps)
    assert (before["institution_deadline"], before["supervisor_deadline"], before["missing"]) == (
        "2026-03-31", "2026-04-30", [])
    assert [r.report_id for r in before["late"]] == [r.report_id for r in before["reports"]] == ["org-univ:2025"]
    deps.clock.set(AFTER_INSTITUTION_DEADLINE)
    after = await handlers.handle(c.GetReportingStatus(SUPERVISOR, 2025), deps)
    assert after["missing"] == [{"organisation": "org-college", "supervisor": "sup-hb", "flagged": False}]
    everyone = await handlers.handle(c.GetReportingStatus(OPERATOR, 2025), deps)
    assert [r.report_id for r in everyone["reports"]] == ["org-tj:2025", "org-univ:2025"]
    assert [m["organisation"] for m in everyone["missing"]] == ["org-college"]
    assert uow.committed == 0


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (c.GetReportingStatus(UNIV, 2025), Forbidden, "actor"),
    (c.GetReportingStatus(SUPERVISOR, 2027), InvalidInput, "year"),
    (c.GetReportingStatus(SUPERVISOR), InvalidInput, "year"),
])
async def test_status_refusals_name_the_field(cmd, error, field):
    _, deps = cycle()
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field


async def test_the_sweep_flags_missing_reports_then_the_supervisors_overdue_filing_once_each():
    uow, deps = cycle()
    assert await handlers.handle(c.FlagMissingReports(OPERATOR), deps) == []
    deps.clock.set(AFTER_INSTITUTION_DEADLINE)
    assert await handlers.handle(c.FlagMissingReports(OPERATOR), deps) == [("missing", "org-college", 2025)]
    placeholder = uow.annual_reports.items["org-college:2025"]
    assert (placeholder.status, placeholder.supervisor, placeholder.version) == ("MISSING", "sup-hb", 1)
    assert uow.event_names() == ["AnnualReportMissing"] and uow.events[0].note == "due 2026-03-31"
    assert await handlers.handle(c.FlagMissingReports(OPERATOR), deps) == []
    deps.clock.set(AFTER_SUPERVISOR_DEADLINE)
    flagged = await handlers.handle(c.FlagMissingReports(OPERATOR), deps)
    assert reporting_deadlines.flagged(flagged) == {"missing": [], "overdue": ["sup-hb:2025"]}
    assert await handlers.handle(c.FlagMissingReports(OPERATOR), deps) == []
    overdue = uow.events[-1]
    assert (type(overdue).__name__, overdue.supervisor, overdue.year, overdue.pending) == (
        "AnnualReportFilingOverdue", "sup-hb", 2025, ["org-college", "org-univ"])
    assert uow.oversights.items["sup-hb"].overdue_years == [2025] and uow.oversights.items["sup-tj"].version == 1
    assert uow.event_names() == ["AnnualReportMissing", "AnnualReportFilingOverdue"]


async def test_only_an_operator_runs_the_sweep_and_a_refusal_changes_nothing():
    uow, deps = cycle()
    deps.clock.set(AFTER_SUPERVISOR_DEADLINE)
    for actor in (UNIV, SUPERVISOR, OTHER_SUPERVISOR):
        with pytest.raises(Forbidden) as refused:
            await handlers.handle(c.FlagMissingReports(actor), deps)
        assert refused.value.field == "actor"
    assert sorted(uow.annual_reports.items) == ["org-tj:2025", "org-univ:2025"] and uow.events == []


def test_flagged_shapes_the_sweeps_ids_as_the_reply():
    assert reporting_deadlines.flagged([("missing", "org-a", 2024), ("overdue", "sup", 2024),
                                        ("missing", "org-b", 2025)]) == {
        "missing": ["org-a:2024", "org-b:2025"], "overdue": ["sup:2024"]}


async def test_the_reporting_timer_runs_both_sweeps_and_reports_nothing_when_nothing_changed():
    uow, deps = cycle()
    uow.funded_projects.seed(funded(deps))          # ended 2026-01-01, owing both outputs
    deps.clock.set(AFTER_INSTITUTION_DEADLINE)
    assert await handlers.flag_reporting_deadlines(deps) == {
        "missing": ["org-college:2025"], "overdue": [], "obligations": ["ZX-1"]}
    assert await handlers.flag_reporting_deadlines(deps) is None
    assert uow.event_names() == ["AnnualReportMissing", "ObligationOverdue"]
