"""Achievement lifecycle handlers on fakes: draft, submit, review, objections, transformation
records, reads, and the notice sweep (exact outcomes; refusals leave state unchanged)."""

from datetime import timedelta

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, NotFound, TransitionRefused
from services.common.identity import SYSTEM
from services.registry.domain import commands as c
from services.registry.domain.model import Status
from services.registry.domain.oversight import Oversight
from services.registry.service_layer import handlers
from tests.unit.registry.lifecycle_world import (
    BUYER,
    NOBODY,
    OPERATOR,
    RECORD,
    STRANGER,
    SUPERVISOR,
    UNIV,
    drafted,
    in_notice,
    registered,
    world,
)


def unchanged(uow, before: dict) -> bool:
    return uow.achievements.items == before and uow.events == []


async def test_draft_records_the_achievement_of_the_callers_organisation():
    uow, deps = world()
    a = await handlers.handle(c.DraftAchievement(UNIV, **RECORD), deps)
    assert (a.status, a.organisation, a.region, a.owner, a.version) == (Status.DRAFT, "org-univ", "BEIJING", "u-1", 1)
    assert list(uow.achievements.items) == [a.achievement_id] and "射频" in a.terms
    assert uow.event_names() == ["AchievementDrafted"] and uow.committed == 1


async def test_draft_and_submit_in_one_command():
    uow, deps = world()
    a = await handlers.handle(c.DraftAchievement(UNIV, **RECORD, submit=True), deps)
    assert (a.status, a.version) == (Status.SUBMITTED, 2)
    assert uow.event_names() == ["AchievementDrafted", "AchievementSubmitted"]


@pytest.mark.parametrize(("actor", "record", "error", "field"), [
    (NOBODY, RECORD, Forbidden, "organisation"),
    (UNIV, {**RECORD, "field": "astrology"}, InvalidInput, "field"),
    (UNIV, {**RECORD, "trl": 10}, InvalidInput, "trl"),
])
async def test_a_refused_draft_writes_nothing(actor, record, error, field):
    uow, deps = world()
    with pytest.raises(error) as refused:
        await handlers.handle(c.DraftAchievement(actor, **record), deps)
    assert refused.value.field == field and uow.achievements.items == {} and uow.committed == 0


async def test_a_duplicate_title_and_project_code_of_the_organisation_is_refused():
    uow, deps = world()
    uow.achievements.seed(drafted(deps, "ach-1"))
    with pytest.raises(Conflict) as refused:
        await handlers.handle(c.DraftAchievement(UNIV, **RECORD), deps)
    assert refused.value.field == "title" and "ach-1" in refused.value.message
    assert list(uow.achievements.items) == ["ach-1"] and uow.events == []
    other = await handlers.handle(c.DraftAchievement(UNIV, **{**RECORD, "funding": {"project_code": "P-2"}}), deps)
    assert sorted(uow.achievements.items) == sorted(["ach-1", other.achievement_id])


async def test_a_withdrawn_record_is_no_duplicate():
    uow, deps = world()
    old = drafted(deps, "ach-1")
    old.withdraw(UNIV, deps.clock.now())
    uow.achievements.seed(old)
    a = await handlers.handle(c.DraftAchievement(UNIV, **RECORD), deps)
    assert a.status == Status.DRAFT and len(uow.achievements.items) == 2


async def test_submit_approve_moves_into_notice_for_the_notice_period():
    uow, deps = world(notice_days=30)
    uow.achievements.seed(drafted(deps))
    submitted = await handlers.handle(c.SubmitAchievement(UNIV, "ach-1"), deps)
    approved = await handlers.handle(c.ApproveAchievement(OPERATOR, "ach-1", "ok"), deps)
    assert (submitted.status, approved.status, approved.version) == (Status.SUBMITTED, Status.IN_NOTICE, 3)
    assert approved.notice_ends_at == deps.clock.now() + timedelta(days=30)
    assert uow.achievements.items["ach-1"].status == Status.IN_NOTICE
    assert uow.event_names() == ["AchievementSubmitted", "AchievementApproved"] and uow.committed == 2


@pytest.mark.parametrize(("command", "status"), [
    (c.ReturnAchievement(OPERATOR, "ach-1", "add the team"), Status.RETURNED),
    (c.RejectAchievement(OPERATOR, "ach-1", "out of scope"), Status.REJECTED),
    (c.WithdrawAchievement(UNIV, "ach-1", "changed our mind"), Status.WITHDRAWN),
])
async def test_review_decisions_on_a_submitted_achievement(command, status):
    uow, deps = world()
    a = drafted(deps)
    a.submit(UNIV, deps.clock.now())
    uow.achievements.seed(a)
    decided = await handlers.handle(command, deps)
    assert (decided.status, decided.version, uow.achievements.items["ach-1"].status) == (status, 3, status)
    assert len(uow.events) == 1 and decided.audit[-1].note == command.note


@pytest.mark.parametrize(("command", "error", "field"), [
    (c.SubmitAchievement(STRANGER, "ach-1"), Forbidden, "achievement_id"),         # not visible: 403
    (c.ApproveAchievement(UNIV, "ach-1"), Forbidden, "actor"),                      # not an operator
    (c.ApproveAchievement(OPERATOR, "ach-1"), TransitionRefused, "status"),         # still a draft
    (c.ReturnAchievement(OPERATOR, "ach-1", " "), InvalidInput, "note"),
    (c.RejectAchievement(OPERATOR, "ach-1", ""), InvalidInput, "note"),
    (c.WithdrawAchievement(UNIV, "ach-9"), NotFound, "achievement_id"),
    (c.LodgeObjection(BUYER, "ach-1", "mine"), Forbidden, "achievement_id"),         # a draft is not public
    (c.RecordTransformation(UNIV, "ach-1", "licence", "Co", "HEBEI", "10.00", "2026-01-02"), TransitionRefused,
     "status"),
])
async def test_refused_changes_leave_the_achievement_unchanged(command, error, field):
    uow, deps = world()
    uow.achievements.seed(drafted(deps))
    before = dict(uow.achievements.items)
    with pytest.raises(error) as refused:
        await handlers.handle(command, deps)
    assert refused.value.field == field and unchanged(uow, before) and uow.committed == 0


async def test_objections_lodged_in_notice_and_an_upheld_one_returns_the_achievement():
    uow, deps = world()
    uow.achievements.seed(in_notice(deps))
    lodged = await handlers.handle(c.LodgeObjection(BUYER, "ach-1", "we invented it"), deps)
    objection = lodged.objections[0]
    assert (objection.status, objection.organisation, lodged.status) == ("OPEN", "org-buyer", Status.IN_NOTICE)
    upheld = await handlers.handle(c.ResolveObjection(OPERATOR, "ach-1", objection.objection_id, True, "proven"),
                                   deps)
    assert (upheld.status, upheld.objections[0].status, upheld.notice_ends_at) == (Status.RETURNED, "UPHELD", None)
    assert uow.event_names() == ["ObjectionLodged", "ObjectionResolved"]


async def test_resolving_an_unknown_objection_is_not_found_and_changes_nothing():
    uow, deps = world()
    uow.achievements.seed(in_notice(deps))
    before = dict(uow.achievements.items)
    with pytest.raises(NotFound) as refused:
        await handlers.handle(c.ResolveObjection(OPERATOR, "ach-1", "obj-9", False, "no"), deps)
    assert refused.value.field == "objection_id" and unchanged(uow, before)


async def test_a_transformation_of_a_registered_achievement_is_recorded():
    uow, deps = world()
    uow.achievements.seed(registered(deps))
    a = await handlers.handle(c.RecordTransformation(UNIV, "ach-1", "licence", "Hebei Co", "HEBEI", "880000.00",
                                                     "2026-01-02"), deps)
    deal = a.transformations[0]
    assert (deal.kind, deal.counterparty_region, deal.amount, deal.recorded_by) == ("licence", "HEBEI",
                                                                                     "880000.00", "u-1")
    assert uow.event_names() == ["TransformationRecorded"] and uow.events[0].note == deal.transformation_id


async def test_reads_hide_an_unpublished_achievement_from_others():
    uow, deps = world()
    uow.achievements.seed(drafted(deps))
    assert (await handlers.handle(c.GetAchievement(UNIV, "ach-1"), deps)).achievement_id == "ach-1"
    assert (await handlers.handle(c.GetAuditTrail(OPERATOR, "ach-1"), deps)).audit[0].action == "draft"
    with pytest.raises(NotFound) as hidden:
        await handlers.handle(c.GetAchievement(STRANGER, "ach-1"), deps)
    assert hidden.value.field == "achievement_id" and uow.committed == 0


async def test_a_supervisor_reads_the_unpublished_records_of_the_institutions_it_oversees():
    """What its review queue lists, it can open: overseen institutions' records, no others."""
    uow, deps = world()
    uow.achievements.seed(drafted(deps), drafted(deps, "ach-2", actor=STRANGER, title="别家的成果"))
    with pytest.raises(NotFound):
        await handlers.handle(c.GetAchievement(SUPERVISOR, "ach-1"), deps)   # no oversight list yet
    uow.oversights.seed(Oversight(supervisor="sup-bj", institutions=["org-univ"], version=1))
    seen = await handlers.handle(c.GetAchievement(SUPERVISOR, "ach-1"), deps)
    assert (seen.achievement_id, seen.status, [e.action for e in seen.audit]) == ("ach-1", Status.DRAFT, ["draft"])
    with pytest.raises(NotFound):
        await handlers.handle(c.GetAchievement(SUPERVISOR, "ach-2"), deps)
    assert uow.committed == 0 and uow.events == []


async def test_the_notice_sweep_registers_ended_notices_without_open_objections():
    uow, deps = world(notice_days=30)
    objected = in_notice(deps, "ach-3", title="另一个成果")
    objected.lodge_objection("obj-1", BUYER, deps.clock.now(), "ours")
    uow.achievements.seed(in_notice(deps, "ach-1"), in_notice(deps, "ach-2", title="第二个成果"), objected,
                          drafted(deps, "ach-4", title="草稿"))
    assert await handlers.handle(c.ConcludeNotices(SYSTEM), deps) == []     # not ended yet
    deps.clock.advance(days=30)
    assert await handlers.handle(c.ConcludeNotices(SYSTEM), deps) == ["ach-1", "ach-2"]
    numbers = [uow.achievements.items[i].registration_number for i in ("ach-1", "ach-2")]
    assert numbers == ["110000-2026-P-000001", "110000-2026-P-000002"]
    assert uow.achievements.items["ach-3"].status == Status.IN_NOTICE
    assert uow.counters.items == {"registration:110000:2026": 2}
    assert uow.event_names() == ["AchievementRegistered", "AchievementRegistered"]
    assert uow.committed == 3   # one unit per due id: ach-3's (an open objection) changes nothing
    assert await handlers.conclude_notices(deps) == []                       # the timer: nothing left


async def test_only_an_operator_concludes_notices():
    uow, deps = world()
    uow.achievements.seed(in_notice(deps))
    deps.clock.advance(days=31)
    with pytest.raises(Forbidden) as refused:
        await handlers.handle(c.ConcludeNotices(UNIV), deps)
    assert refused.value.field == "actor" and uow.achievements.items["ach-1"].status == Status.IN_NOTICE
