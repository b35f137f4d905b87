"""Pure domain rules: working days, SLA warning/escalation once per stage, ranking score,
report validation, incubator moves. No I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, TransitionRefused
from services.common.identity import Principal
from services.incubation.domain import green_channel, incubators, stations, vocab
from services.incubation.domain.workdays import add_working_days

MON = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
HOLDER = Principal("h", "org-univ", "BEIJING", frozenset({"institution"}))
STATION = Principal("s", "org-station", "TIANJIN", frozenset({"station"}))


def active_station() -> stations.Station:
    s = stations.apply("st-1", STATION, MON, "津合作站", "TIANJIN", ["testing", "training"])
    s.move("approve", "op", MON)
    return s


def case(**receiver):
    achievement = {"achievement_id": "a-1", "status": "REGISTERED", "organisation": "org-univ", "region": "BEIJING",
                   "field": "ai", "title": "t"}
    rec = {"organisation": "org-ent", "region": "HEBEI", "kind": "ENTERPRISE", **receiver}
    return green_channel.submit("c-1", HOLDER, MON, achievement, active_station(), rec, "equity",
                                ["consulting"], "", vocab.DEFAULT_SLA_DAYS, 0.8)


def test_working_days_skip_weekends():
    fri = MON + timedelta(days=4)
    assert add_working_days(MON, 2) == MON + timedelta(days=2)
    assert add_working_days(fri, 1) == fri + timedelta(days=3)          # Friday + 1 → Monday
    assert add_working_days(fri + timedelta(days=1), 1) == fri + timedelta(days=3)  # Saturday + 1 → Monday
    assert add_working_days(MON, 5) == MON + timedelta(days=7)


def test_sla_warning_then_escalation_once_per_stage():
    c = case()
    assert c.stage_due_at == MON + timedelta(days=2) and c.warn_at == MON + timedelta(days=1.6)
    assert not c.check_sla(MON + timedelta(days=1))
    assert c.check_sla(MON + timedelta(days=1.7)) and type(c.events[-1]).__name__ == "CaseSlaWarning"
    assert not c.check_sla(MON + timedelta(days=1.8))
    assert c.check_sla(MON + timedelta(days=2, seconds=1)) and type(c.events[-1]).__name__ == "CaseEscalated"
    assert not c.check_sla(MON + timedelta(days=9))
    assert c.escalations == 1 and len(c.events) == 3 and c.version == 3


def test_receiver_in_the_holders_region_is_refused():
    with pytest.raises(InvalidInput) as caught:
        case(region="BEIJING")
    assert caught.value.field == "receiver.region"


def test_outsider_cannot_submit():
    achievement = {"achievement_id": "a", "status": "REGISTERED", "organisation": "org-univ", "region": "BEIJING"}
    with pytest.raises(Forbidden):
        green_channel.submit("c", Principal("x", "org-x", "HEBEI"), MON, achievement, active_station(),
                             {"organisation": "org-e", "region": "HEBEI", "kind": "INCUBATOR"}, "transfer",
                             ["consulting"], "", vocab.DEFAULT_SLA_DAYS, 0.8)


def test_report_figures_and_year_are_checked():
    s = active_station()
    with pytest.raises(InvalidInput) as caught:
        s.file_report(2025, -1, 0, 0, "s", MON)
    assert caught.value.field == "services_delivered"
    with pytest.raises(InvalidInput) as caught:
        s.file_report(2027, 1, 1, 1, "s", MON)
    assert caught.value.field == "year"
    s.file_report(2025, 10, 4, 2, "s", MON)
    with pytest.raises(Conflict):
        s.file_report(2025, 1, 1, 1, "s", MON)
    assert stations.score(s, 2025, vocab.DEFAULT_RANKING_WEIGHTS) == 10 + 8 + 10 + 6
    assert stations.score(s, 2024, vocab.DEFAULT_RANKING_WEIGHTS) is None


def test_station_lifecycle_refuses_wrong_moves():
    s = stations.apply("st-2", STATION, MON, "冀合作站", "HEBEI", ["financing"])
    with pytest.raises(TransitionRefused):
        s.move("suspend", "op", MON)
    s.move("approve", "op", MON)
    s.move("suspend", "op", MON)
    s.move("reinstate", "op", MON)
    assert s.status == "ACTIVE" and s.version == 4


def test_incubator_enterprise_moves():
    sponsor = Principal("u", "org-thu", "BEIJING", frozenset({"institution"}))
    inc = incubators.register("i-1", sponsor, MON, "清华孵化器(天津)", "TIANJIN")
    inc.admit("e-1", "企业一", "u", MON)
    inc.release("e-1", True, "u", MON)
    with pytest.raises(TransitionRefused):
        inc.release("e-1", False, "u", MON)
    with pytest.raises(InvalidInput):
        incubators.register("i-2", sponsor, MON, "x", "BEIJING")
