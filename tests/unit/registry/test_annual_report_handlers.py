"""Annual report handlers on fakes: oversight lists, filing, reading, approving, returning;
refusals leave the stored state unchanged."""

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from services.common.identity import Principal
from services.registry.domain import annual_commands as c
from services.registry.domain.oversight import Oversight
from services.registry.service_layer import handlers
from tests.unit.registry.reporting_world import (
    COLLEGE,
    DEALS,
    OPERATOR,
    OTHER_SUPERVISOR,
    STRANGER,
    SUPERVISOR,
    UNIV,
    annual,
    world,
)


def figures(**extra) -> c.FileAnnualReport:
    return c.FileAnnualReport(**{"actor": UNIV, "year": 2025, "deals": DEALS, "income": "3800000.00",
                                 "researcher_rewards": "2850000.00", "people_involved": 12, **extra})


def overseen(*institutions, supervisor="sup-hb") -> Oversight:
    return Oversight(supervisor=supervisor, institutions=list(institutions), version=len(institutions))


async def test_a_supervisor_adds_and_releases_institutions_on_its_own_list():
    uow, deps = world()
    added = await handlers.handle(c.OverseeInstitution(SUPERVISOR, organisation="org-univ"), deps)
    assert (added.supervisor, added.institutions, added.version, added.updated_at) == (
        "sup-hb", ["org-univ"], 1, deps.clock.now())
    await handlers.handle(c.OverseeInstitution(SUPERVISOR, organisation="org-college"), deps)
    released = await handlers.handle(c.ReleaseInstitution(SUPERVISOR, organisation="org-univ"), deps)
    assert (released.institutions, released.version) == (["org-college"], 3)
    assert uow.oversights.items["sup-hb"].institutions == ["org-college"]
    assert uow.event_names() == ["InstitutionOverseen", "InstitutionOverseen", "InstitutionReleased"]
    assert [e.note for e in uow.events] == ["org-univ", "org-college", "org-univ"]
    assert uow.events[-1].oversight["version"] == 3 and uow.committed == 3


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (c.OverseeInstitution(SUPERVISOR, organisation="org-univ"), TransitionRefused, "organisation"),
    (c.OverseeInstitution(OTHER_SUPERVISOR, organisation="org-univ"), Conflict, "organisation"),
    (c.OverseeInstitution(UNIV, organisation="org-college"), Forbidden, "actor"),
    (c.OverseeInstitution(SUPERVISOR, "sup-tj", "org-college"), Forbidden, "supervisor"),
    (c.OverseeInstitution(SUPERVISOR, organisation=" "), InvalidInput, "organisation"),
    (c.ReleaseInstitution(SUPERVISOR, organisation="org-college"), NotFound, "organisation"),
    (c.ReleaseInstitution(OTHER_SUPERVISOR, organisation="org-univ"), NotFound, "organisation"),
])
async def test_refused_oversight_edits_leave_the_lists_unchanged(cmd, error, field):
    uow, deps = world()
    uow.oversights.seed(overseen("org-univ"))
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert list(uow.oversights.items) == ["sup-hb"] and uow.oversights.items["sup-hb"].institutions == ["org-univ"]
    assert uow.events == [] and uow.committed == 0


async def test_another_supervisors_institution_is_named_in_the_conflict():
    uow, deps = world()
    uow.oversights.seed(overseen("org-univ"))
    with pytest.raises(Conflict) as refused:
        await handlers.handle(c.OverseeInstitution(OTHER_SUPERVISOR, organisation="org-univ"), deps)
    assert str(refused.value) == "org-univ is overseen by sup-hb already"


async def test_reading_a_list_that_was_never_stored_is_empty_and_writes_nothing():
    uow, deps = world()
    got = await handlers.handle(c.GetOversight(SUPERVISOR), deps)
    assert (got.supervisor, got.institutions, got.version) == ("sup-hb", [], 0)
    assert (await handlers.handle(c.GetOversight(OPERATOR, "sup-tj"), deps)).supervisor == "sup-tj"
    assert uow.oversights.items == {} and uow.committed == 0


async def test_an_overseen_institution_files_its_report_with_the_share_and_the_70_percent_rule():
    uow, deps = world()
    uow.oversights.seed(overseen("org-univ"))
    r = await handlers.handle(figures(), deps)
    assert (r.report_id, r.supervisor, r.status, r.late, r.researcher_share, r.meets_70_percent_rule) == (
        "org-univ:2025", "sup-hb", "FILED", False, "0.7500", True)
    assert (r.deals.transfer.count, r.deals.licence.amount, r.deals.equity.amount, r.version) == (
        2, "500000.00", "0.00", 1)
    assert (r.institution_deadline, r.supervisor_deadline, r.filed_by, r.filed_at) == (
        "2026-03-31", "2026-04-30", "u-1", deps.clock.now())
    assert list(uow.annual_reports.items) == ["org-univ:2025"]
    assert uow.event_names() == ["AnnualReportFiled"] and uow.events[0].report["version"] == 1


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (figures(actor=COLLEGE), InvalidInput, "organisation"),          # not overseen
    (figures(year=2026), InvalidInput, "year"),                        # not a past year
    (figures(deals={"gift": {}}), InvalidInput, "deals"),
    (figures(deals={"transfer": {"count": 1, "amount": "1.001"}}), InvalidInput, "deals.transfer.amount"),
    (figures(income="-1"), InvalidInput, "income"),
    (figures(actor=Principal("op-9", roles=frozenset({"operator"}))), Forbidden, "organisation"),
    (figures(), TransitionRefused, "year"),                            # filed already
])
async def test_refused_filings_leave_the_reports_unchanged(cmd, error, field):
    uow, deps = world()
    uow.oversights.seed(overseen("org-univ"))
    uow.annual_reports.seed(annual(deps))
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert list(uow.annual_reports.items) == ["org-univ:2025"]
    assert uow.annual_reports.items["org-univ:2025"].version == 0
    assert uow.events == [] and uow.committed == 0


async def test_the_supervisor_returns_then_approves_a_refiled_report():
    uow, deps = world()
    uow.annual_reports.seed(annual(deps))
    returned = await handlers.handle(c.ReturnAnnualReport(SUPERVISOR, "org-univ:2025", "income?"), deps)
    assert (returned.status, returned.note, returned.decided_by, returned.version) == ("RETURNED", "income?", "s-1", 1)
    refiled = await handlers.handle(figures(income="4000000.00"), deps)
    assert (refiled.status, refiled.researcher_share, refiled.meets_70_percent_rule) == ("FILED", "0.7125", True)
    approved = await handlers.handle(c.ApproveAnnualReport(SUPERVISOR, "org-univ:2025", "ok"), deps)
    assert (approved.status, approved.version) == ("APPROVED", 3)
    assert uow.annual_reports.items["org-univ:2025"].status == "APPROVED"
    assert uow.event_names() == ["AnnualReportReturned", "AnnualReportFiled", "AnnualReportApproved"]


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (c.ApproveAnnualReport(OTHER_SUPERVISOR, "org-univ:2025"), NotFound, "report_id"),   # not theirs: hidden
    (c.ApproveAnnualReport(UNIV, "org-univ:2025"), Forbidden, "supervisor"),
    (c.ReturnAnnualReport(SUPERVISOR, "org-univ:2025", " "), InvalidInput, "note"),
    (c.ApproveAnnualReport(SUPERVISOR, "org-univ:2024"), NotFound, "report_id"),
    (c.ApproveAnnualReport(SUPERVISOR, "org-college:2025"), TransitionRefused, "status"),  # MISSING
])
async def test_refused_decisions_leave_the_report_unchanged(cmd, error, field):
    uow, deps = world()
    uow.annual_reports.seed(annual(deps), annual(deps, "org-college", status="MISSING"))
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert [r.status for r in uow.annual_reports.items.values()] == ["FILED", "MISSING"]
    assert uow.events == [] and uow.committed == 0


async def test_a_report_is_read_by_its_institution_its_supervisor_and_operators_only():
    uow, deps = world()
    uow.annual_reports.seed(annual(deps))
    for actor in (UNIV, SUPERVISOR, OPERATOR):
        assert (await handlers.handle(c.GetAnnualReport(actor, "org-univ:2025"), deps)).report_id == "org-univ:2025"
    for actor in (STRANGER, OTHER_SUPERVISOR):
        with pytest.raises(NotFound) as hidden:
            await handlers.handle(c.GetAnnualReport(actor, "org-univ:2025"), deps)
        assert (str(hidden.value), hidden.value.field) == ("annual report org-univ:2025 does not exist", "report_id")
