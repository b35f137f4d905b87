"""Annual reports, oversight lists and fiscal obligations: pure domain rules (no I/O)."""

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Forbidden, InvalidInput, TransitionRefused
from services.common.identity import Principal
from services.registry.domain import annual_report as ar
from services.registry.domain import obligation
from services.registry.domain.oversight import Oversight

NOW = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
INST = Principal("u-1", "inst-1", "BEIJING", frozenset({"institution"}))
SUP = Principal("s-1", "sup-1", "BEIJING", frozenset({"supervisor"}))
OTHER_SUP = Principal("s-2", "sup-2", "BEIJING", frozenset({"supervisor"}))
OP = Principal("op", "platform", "BEIJING", frozenset({"operator"}))
DEALS = {"transfer": {"count": 2, "amount": "1000000.00"}, "licence": {"count": 3, "amount": "500000.00"},
         "equity": {"count": 1, "amount": "2000000.00"}, "cooperation": {"count": 4, "amount": "300000.00"}}


def test_windows_come_from_configuration_with_the_default_rule():
    config = {2025: {"institution_deadline": "2026-04-15"}, "2024": {"institution_deadline": "2025-03-20",
                                                                    "supervisor_deadline": "2025-05-10"}}
    assert ar.window(2025, config) == ("2026-04-15", "2026-04-30")
    assert ar.window(2024, config) == ("2025-03-20", "2025-05-10")
    assert ar.window(2023, config) == ("2024-03-31", "2024-04-30")
    assert ar.window(2023, None) == ("2024-03-31", "2024-04-30")
    # a deadline day ends at midnight Beijing time: 2026-03-31T16:00Z
    assert ar.due_at("2026-03-31") == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)


def test_figures_share_and_the_70_percent_rule():
    f = ar.Figures.parse(DEALS, "3800000.00", "2850000", 12)
    assert f.share() == ("0.7500", True)
    assert f.deals.licence == ar.DealFigures(3, "500000.00") and f.researcher_rewards == "2850000.00"
    assert ar.Figures.parse(DEALS, "3800000", "2000000.00", 12).share() == ("0.5263", False)
    assert ar.Figures.parse({}, "1000.00", "700.00", 1).share() == ("0.7000", True)
    assert ar.Figures.parse({}, "0", "0", 0).share() == ("", False)


@pytest.mark.parametrize("deals,income,rewards,people,field", [
    ({"transfer": {"count": -1}}, "1", "1", 1, "deals.transfer.count"),
    ({"equity": {"amount": "-0.01"}}, "1", "1", 1, "deals.equity.amount"),
    ({"gift": {"count": 1}}, "1", "1", 1, "deals"),
    ({}, "-5", "1", 1, "income"),
    ({}, "5", "-1", 1, "researcher_rewards"),
    ({}, "5", "abc", 1, "researcher_rewards"),
    ({}, "5", "1.001", 1, "researcher_rewards"),
    ({}, "5", "1", -3, "people_involved"),
])
def test_bad_figures_are_refused_naming_the_field(deals, income, rewards, people, field):
    with pytest.raises(InvalidInput) as e:
        ar.Figures.parse(deals, income, rewards, people)
    assert e.value.field == field


def test_report_lifecycle_file_return_refile_approve():
    with pytest.raises(InvalidInput) as e:
        ar.new("inst-1", 2026, "sup-1", NOW, None)
    assert e.value.field == "year"
    r = ar.new("inst-1", 2025, "sup-1", NOW, None)
    r.file(INST, NOW, ar.Figures.parse(DEALS, "3800000.00", "2850000.00", 12))
    assert (r.status, r.late, r.researcher_share, r.meets_70_percent_rule, r.version) == (
        "FILED", False, "0.7500", True, 1)
    with pytest.raises(TransitionRefused) as e:
        r.file(INST, NOW, ar.Figures.parse({}, "1", "1", 1))
    assert e.value.field == "year"
    with pytest.raises(Forbidden):
        r.approve(OTHER_SUP, NOW)
    with pytest.raises(Forbidden):
        r.approve(INST, NOW)
    with pytest.raises(InvalidInput) as e:
        r.return_for_revision(SUP, NOW, " ")
    assert e.value.field == "note"
    r.return_for_revision(SUP, NOW, "rewards look wrong")
    with pytest.raises(TransitionRefused):
        r.approve(SUP, NOW)
    late = datetime(2026, 4, 2, tzinfo=UTC)
    r.file(INST, late, ar.Figures.parse(DEALS, "3800000.00", "2000000.00", 12))
    assert (r.status, r.late, r.researcher_share, r.meets_70_percent_rule) == ("FILED", False, "0.5263", False)
    r.approve(SUP, late, "ok")
    assert r.status == "APPROVED" and r.version == 4
    assert [type(e).__name__ for e in r.events] == ["AnnualReportFiled", "AnnualReportReturned",
                                                    "AnnualReportFiled", "AnnualReportApproved"]
    assert r.events[-1].report["status"] == "APPROVED" and r.events[-1].report["version"] == 4


def test_missing_report_filed_late():
    r = ar.missing("inst-1", 2025, "sup-1", datetime(2026, 4, 1, tzinfo=UTC), None)
    assert r.status == "MISSING" and type(r.events[0]).__name__ == "AnnualReportMissing"
    r.file(INST, datetime(2026, 4, 3, tzinfo=UTC), ar.Figures.parse({}, "10.00", "7.00", 1))
    assert r.status == "FILED" and r.late is True


def test_oversight_list_and_overdue_once():
    o = Oversight(supervisor="sup-1")
    with pytest.raises(Forbidden):
        o.add(OTHER_SUP, "inst-1", NOW)
    o.add(SUP, "inst-1", NOW)
    o.add(OP, "inst-2", NOW)
    with pytest.raises(TransitionRefused):
        o.add(SUP, "inst-1", NOW)
    o.remove(SUP, "inst-2", NOW)
    assert o.institutions == ["inst-1"] and o.version == 3
    assert o.flag_overdue(2025, ["inst-1"]) is True
    assert o.flag_overdue(2025, ["inst-1"]) is False
    assert o.flag_overdue(2024, []) is False
    assert o.overdue_years == [2025] and o.events[-1].pending == ["inst-1"]


def test_funded_project_rules():
    with pytest.raises(Forbidden):
        obligation.register(INST, NOW, project_code="Z1", fiscal_plan="p", holder="h", end_date="2026-01-31")
    with pytest.raises(InvalidInput) as e:
        obligation.register(OP, NOW, project_code="Z1", fiscal_plan="p", holder="h", end_date="2026-02-30")
    assert e.value.field == "end_date"
    p = obligation.register(OP, NOW, project_code="Z1", fiscal_plan="p", holder="h", end_date="2026-02-01")
    assert not p.ended(NOW) and p.assess(NOW, ["registered achievement"]) is False
    after = datetime(2026, 2, 1, 16, 0, tzinfo=UTC)       # 2026-02-02 00:00 Beijing
    assert p.ended(after) and p.assess(after, ["registered achievement"]) is True      # flagged
    assert p.assess(after, ["registered achievement"]) is False                          # once
    later = after + timedelta(days=40)
    assert p.assess(later, []) is False                                                  # met: the flag clears
    assert (p.met, p.met_at, p.overdue, p.note) == (True, later, False, "met (was overdue: registered achievement)")
    assert p.assess(later, ["technology report"]) is False and p.met                    # met is final
    assert [type(e).__name__ for e in p.events] == ["FundedProjectRegistered", "ObligationOverdue", "ObligationMet"]
    on_time = obligation.register(OP, NOW, project_code="Z2", fiscal_plan="p", holder="h", end_date="2026-02-01")
    assert on_time.assess(after, []) is False and (on_time.met, on_time.overdue, on_time.note) == (True, False, "met")
    assert obligation.missing_outputs(True, None) == []
    assert obligation.missing_outputs(False, True) == ["registered achievement"]
    assert obligation.missing_outputs(True, False) == ["technology report"]


def test_windows_are_read_from_settings():
    from services.registry.bootstrap import RegistrySettings, build

    windows = {2025: {"institution_deadline": "2026-04-15", "supervisor_deadline": "2026-05-15"}}
    _, deps = build(RegistrySettings(annual_report_windows=windows))
    assert deps.report_windows == windows
    assert ar.new("inst-1", 2025, "sup-1", NOW, deps.report_windows).institution_deadline == "2026-04-15"
