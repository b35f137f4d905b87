"""Fiscal obligation handlers on fakes: registering and reading funded projects, the overdue
list, the CheckObligations sweep (ObligationOverdue once), and issue 12 item 9: a technology
report of another organisation does not clear the holder's obligation."""

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.common.identity import Principal
from services.registry.domain import annual_commands as c
from services.registry.service_layer import handlers
from tests.unit.registry.reporting_world import (
    OPERATOR,
    STRANGER,
    SUPERVISOR,
    UNIV,
    filed_report,
    funded,
    world,
)


def register(actor=OPERATOR, **kw) -> c.RegisterFundedProject:
    return c.RegisterFundedProject(actor, **{"project_code": "ZX-1", "fiscal_plan": "国家重点研发计划",
                                             "holder": "org-univ", "end_date": "2026-06-30", **kw})


async def test_an_operator_registers_a_funded_project():
    uow, deps = world()
    p = await handlers.handle(register(title="结题"), deps)
    assert (p.project_code, p.holder, p.end_date, p.overdue, p.registered_by, p.version) == (
        "ZX-1", "org-univ", "2026-06-30", False, "op-1", 1)
    assert list(uow.funded_projects.items) == ["ZX-1"]
    assert uow.event_names() == ["FundedProjectRegistered"] and uow.events[0].project["version"] == 1


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (register(), Conflict, "project_code"),
    (register(UNIV, project_code="ZX-2"), Forbidden, "actor"),
    (register(project_code="ZX-2", end_date="2026-13-01"), InvalidInput, "end_date"),
    (register(project_code=" "), InvalidInput, "project_code"),
    (register(project_code="ZX-2", holder=""), InvalidInput, "holder"),
])
async def test_refused_registrations_leave_the_projects_unchanged(cmd, error, field):
    uow, deps = world()
    uow.funded_projects.seed(funded(deps, end_date="2026-06-30"))
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert list(uow.funded_projects.items) == ["ZX-1"] and uow.events == [] and uow.committed == 0


async def test_a_project_is_read_by_its_holder_supervisors_and_operators():
    uow, deps = world()
    uow.funded_projects.seed(funded(deps))
    for actor in (UNIV, SUPERVISOR, OPERATOR):
        assert (await handlers.handle(c.GetFundedProject(actor, "ZX-1"), deps)).holder == "org-univ"
    with pytest.raises(Forbidden) as refused:
        await handlers.handle(c.GetFundedProject(STRANGER, "ZX-1"), deps)
    assert refused.value.field == "project_code"
    with pytest.raises(NotFound) as missing:
        await handlers.handle(c.GetFundedProject(OPERATOR, "ZX-9"), deps)
    assert (str(missing.value), missing.value.field) == ("funded project ZX-9 does not exist", "project_code")


def projects(deps):
    """ZX-1 ended with a registered achievement and no report; ZX-2 ended with both; ZX-3
    ended with nothing; ZX-4 ends in the future; ZX-5 ended, of another holder."""
    return (funded(deps, "ZX-1"), funded(deps, "ZX-2"), funded(deps, "ZX-3"),
            funded(deps, "ZX-4", end_date="2027-01-01"), funded(deps, "ZX-5", holder="org-other"))


async def test_the_overdue_list_names_what_each_ended_project_still_owes_in_the_callers_scope():
    uow, deps = world(registered={"ZX-1": ["ach-1"], "ZX-2": ["ach-2"]})
    uow.funded_projects.seed(*projects(deps))
    uow.tech_reports.seed(filed_report(deps, project_code="ZX-2"))
    listed = await handlers.handle(c.ListOverdueObligations(OPERATOR, "org-univ"), deps)
    assert [(i["project"].project_code, i["missing"]) for i in listed["items"]] == [
        ("ZX-1", ["technology report"]), ("ZX-3", ["registered achievement", "technology report"])]
    assert listed["counts_technology_reports"] is True
    everyone = await handlers.handle(c.ListOverdueObligations(SUPERVISOR), deps)
    assert [i["project"].project_code for i in everyone["items"]] == ["ZX-1", "ZX-3", "ZX-5"]
    mine = await handlers.handle(c.ListOverdueObligations(UNIV, "org-other"), deps)   # holder: the caller's own
    assert [i["project"].project_code for i in mine["items"]] == ["ZX-1", "ZX-3"]
    with pytest.raises(Forbidden) as refused:
        await handlers.handle(c.ListOverdueObligations(Principal("anon")), deps)
    assert refused.value.field == "actor" and uow.committed == 0


async def test_the_sweep_flags_each_owing_project_once():
    uow, deps = world(registered={"ZX-1": ["ach-1"], "ZX-2": ["ach-2"]})
    uow.funded_projects.seed(*projects(deps))
    uow.tech_reports.seed(filed_report(deps, project_code="ZX-2"))
    assert await handlers.handle(c.CheckObligations(OPERATOR), deps) == ["ZX-1", "ZX-3", "ZX-5"]
    assert await handlers.handle(c.CheckObligations(OPERATOR), deps) == []
    flagged = uow.funded_projects.items["ZX-3"]
    assert (flagged.overdue, flagged.overdue_at, flagged.note, flagged.version) == (
        True, deps.clock.now(), "missing: registered achievement, technology report", 2)
    assert [p.overdue for p in uow.funded_projects.items.values()] == [True, False, True, False, True]
    assert [p.met for p in uow.funded_projects.items.values()] == [False, True, False, False, False]
    assert uow.event_names() == ["ObligationOverdue", "ObligationMet", "ObligationOverdue", "ObligationOverdue"]
    assert [e.project_code for e in uow.events] == ["ZX-1", "ZX-2", "ZX-3", "ZX-5"]


async def test_a_flag_clears_when_the_project_owes_nothing_any_more():
    uow, deps = world(registered={"ZX-1": ["ach-1"]})
    uow.funded_projects.seed(funded(deps, "ZX-1"))
    assert await handlers.handle(c.CheckObligations(OPERATOR), deps) == ["ZX-1"]      # owes its report
    uow.tech_reports.seed(filed_report(deps, project_code="ZX-1"))
    assert await handlers.handle(c.CheckObligations(OPERATOR), deps) == []           # nothing newly overdue
    p = uow.funded_projects.items["ZX-1"]
    assert (p.overdue, p.met, p.met_at, p.note, p.version) == (
        False, True, deps.clock.now(), "met (was overdue: technology report)", 3)
    assert uow.event_names() == ["ObligationOverdue", "ObligationMet"]
    listed = await handlers.handle(c.ListOverdueObligations(OPERATOR), deps)
    assert listed["items"] == []
    assert await handlers.handle(c.CheckObligations(OPERATOR), deps) == [] and uow.event_names()[-1] == "ObligationMet"
    assert len(uow.events) == 2                                                     # met is final: no more checks


async def test_only_an_operator_runs_the_obligation_sweep():
    uow, deps = world()
    uow.funded_projects.seed(funded(deps))
    for actor in (UNIV, SUPERVISOR):
        with pytest.raises(Forbidden) as refused:
            await handlers.handle(c.CheckObligations(actor), deps)
        assert refused.value.field == "actor"
    assert uow.funded_projects.items["ZX-1"].overdue is False and uow.events == []


async def test_a_report_filed_by_another_organisation_does_not_clear_the_holders_obligation():
    """Issue 12 item 9: the report's organisation is checked against the project holder."""
    uow, deps = world(registered={"ZX-1": ["ach-1"]})
    uow.funded_projects.seed(funded(deps))
    uow.tech_reports.seed(filed_report(deps, STRANGER, "ZX-1", report_id="tr-other"),
                          filed_report(deps, STRANGER, "", "ach-1", owner="org-other", report_id="tr-ach"))
    listed = await handlers.handle(c.ListOverdueObligations(OPERATOR, "org-univ"), deps)
    assert [(i["project"].project_code, i["missing"]) for i in listed["items"]] == [("ZX-1", ["technology report"])]
    assert await handlers.handle(c.CheckObligations(OPERATOR), deps) == ["ZX-1"]
    assert uow.funded_projects.items["ZX-1"].note == "missing: technology report"


async def test_the_holders_own_report_for_an_achievement_of_the_project_clears_it():
    uow, deps = world(registered={"ZX-1": ["ach-1"]})
    uow.funded_projects.seed(funded(deps))
    uow.tech_reports.seed(filed_report(deps, UNIV, "", "ach-1", owner="org-univ"))
    assert (await handlers.handle(c.ListOverdueObligations(OPERATOR), deps))["items"] == []
    assert await handlers.handle(c.CheckObligations(OPERATOR), deps) == []
