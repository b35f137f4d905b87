"""Green-channel case handlers on fakes, the SLA sweep and the known-achievement query."""

from datetime import timedelta

import pytest

from services.common.errors import Forbidden, InvalidInput, NotFound, TransitionRefused, Unavailable
from services.incubation.domain import commands as c
from services.incubation.domain.cases import Stage
from services.incubation.service_layer import handlers
from tests.unit.incubation.world import (
    ACHIEVEMENT,
    ENTERPRISE,
    HOST,
    OPERATOR,
    PARTNER_HB,
    RECEIVER,
    STRANGER,
    UNIV,
    active_station,
    case,
    world,
)


def submit(achievement_id="ach-1", station_id="st-a"):
    return c.SubmitCase(UNIV, achievement_id, RECEIVER, "licence", station_id, ["consulting"], "please")


async def test_submit_checks_the_registry_live_then_opens_the_case():
    uow, deps = world(ACHIEVEMENT)
    uow.stations.seed(active_station(deps))
    opened = await handlers.handle(submit(), deps)
    assert (opened.stage, opened.holder.organisation, opened.receiver.region, opened.regions, opened.version) == (
        Stage.SUBMITTED, "org-univ", "HEBEI", ["BEIJING", "HEBEI"], 1)
    assert opened.stage_due_at == deps.clock.now() + timedelta(days=2)  # Monday + 2 working days
    assert deps.registry.calls == ["ach-1"] and list(uow.cases.items) == [opened.case_id]
    assert uow.event_names() == ["CaseSubmitted"] and uow.committed == 1


@pytest.mark.parametrize(("achievement_id", "station_id", "unavailable", "error", "field"), [
    ("ach-9", "st-a", False, NotFound, "achievement_id"),
    ("ach-1", "st-a", True, Unavailable, "achievement_id"),
    ("ach-1", "st-9", False, NotFound, "station_id"),
    (" ", "st-a", False, InvalidInput, "achievement_id"),
])
async def test_a_refused_submission_writes_nothing(achievement_id, station_id, unavailable, error, field):
    uow, deps = world(ACHIEVEMENT, unavailable=unavailable)
    uow.stations.seed(active_station(deps))
    with pytest.raises(error) as refused:
        await handlers.handle(submit(achievement_id, station_id), deps)
    assert refused.value.field == field
    assert uow.cases.items == {} and uow.events == [] and uow.committed == 0


async def test_stage_actions_move_the_case_and_refusals_leave_it_unchanged():
    uow, deps = world()
    station = active_station(deps)
    uow.cases.seed(case(deps, station))
    accepted = await handlers.handle(c.ActOnCase(HOST, "case-1", "accept", "ok"), deps)
    assert accepted.stage == Stage.ACCEPTED and [h.stage for h in accepted.history] == ["SUBMITTED", "ACCEPTED"]
    for cmd, error in ((c.ActOnCase(ENTERPRISE, "case-1", "review"), Forbidden),
                       (c.ActOnCase(HOST, "case-1", "close"), TransitionRefused)):
        with pytest.raises(error):
            await handlers.handle(cmd, deps)
    assert uow.cases.items["case-1"].stage == Stage.ACCEPTED and uow.cases.items["case-1"].version == 2
    assert uow.event_names() == ["CaseAccepted"]


async def test_a_case_is_visible_to_its_parties_station_region_and_operator_only():
    uow, deps = world()
    uow.cases.seed(case(deps, active_station(deps)))
    for actor in (UNIV, ENTERPRISE, HOST, PARTNER_HB, OPERATOR):
        assert (await handlers.handle(c.GetCase(actor, "case-1"), deps)).case_id == "case-1"
    for case_id in ("case-1", "case-9"):
        with pytest.raises(NotFound) as hidden:
            await handlers.handle(c.GetCase(STRANGER, case_id), deps)
        assert str(hidden.value) == f"case {case_id} does not exist" and hidden.value.field == "case_id"


async def test_list_cases_asks_the_view_for_the_callers_scope():
    page = {"items": [], "next_cursor": ""}
    uow, deps = world(case_page=page)
    assert await handlers.handle(c.ListCases(HOST, "st-a", "ACCEPTED", "HEBEI", True, 10, "cur"), deps) == page
    assert uow.views.calls == [("case_page", (HOST, 10, "cur"), {
        "station_id": "st-a", "stage": "ACCEPTED", "region": "HEBEI", "overdue_at": deps.clock.now()})]
    for bad, field in ((c.ListCases(HOST, stage="DONE"), "stage"), (c.ListCases(HOST, region="MARS"), "region")):
        with pytest.raises(InvalidInput) as refused:
            await handlers.handle(bad, deps)
        assert refused.value.field == field


async def test_the_sla_sweep_warns_then_escalates_once_per_stage():
    uow, deps = world()
    opened = case(deps, active_station(deps))
    uow.cases.seed(opened)
    assert await handlers.detect_sla_breaches(opened.warn_at - timedelta(seconds=1), deps) == 0
    assert await handlers.handle(c.DetectSlaBreaches(opened.warn_at), deps) == ["case-1"]
    assert await handlers.detect_sla_breaches(opened.warn_at, deps) == 0
    deps.clock.set(opened.stage_due_at)
    assert await handlers.detect_sla_breaches(None, deps) == 1
    assert await handlers.detect_sla_breaches(None, deps) == 0
    stored = uow.cases.items["case-1"]
    assert (stored.warned_stage, stored.escalated_stage, stored.escalations, stored.version) == (
        "SUBMITTED", "SUBMITTED", 1, 3)
    assert uow.event_names() == ["CaseSlaWarning", "CaseEscalated"]
    assert uow.committed == 5  # one unit of work per due id and sweep (the fake query returns every case)


async def test_known_achievement_from_the_read_model_or_not_found():
    uow, deps = world(known_achievement=lambda achievement_id: ACHIEVEMENT if achievement_id == "ach-1" else None)
    assert await handlers.handle(c.GetKnownAchievement(STRANGER, "ach-1"), deps) == ACHIEVEMENT
    with pytest.raises(NotFound) as missing:
        await handlers.handle(c.GetKnownAchievement(STRANGER, "ach-9"), deps)
    assert missing.value.field == "achievement_id"
