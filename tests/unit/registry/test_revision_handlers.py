"""Revising an achievement on fakes: the owner edits a draft or a returned record (checked
whole, re-indexed for search, a new version, an audit entry, AchievementRevised) and may
resubmit it; any other state, organisation or field is refused and changes nothing."""

import pytest

from services.common.errors import Conflict, Forbidden, InvalidInput, TransitionRefused
from services.registry.domain import commands as c
from services.registry.domain.model import Status
from services.registry.service_layer import handlers
from tests.unit.registry.lifecycle_world import OPERATOR, STRANGER, UNIV, drafted, in_notice, world


async def test_the_owner_revises_a_draft_and_search_sees_the_new_words():
    uow, deps = world()
    uow.achievements.seed(drafted(deps))
    a = await handlers.handle(c.ReviseAchievement(UNIV, "ach-1", {"keywords": ["毫米波"], "trl": 7}), deps)
    assert (a.status, a.version, a.trl, a.keywords) == (Status.DRAFT, 2, 7, ["毫米波"])
    assert "毫米波" in a.terms and "射频" in a.terms          # the title still says 射频
    assert (a.audit[-1].action, a.audit[-1].note) == ("revise", "revised: keywords, trl")
    assert uow.event_names() == ["AchievementRevised"] and uow.events[0].note == "keywords, trl"
    assert uow.events[0].achievement["version"] == 2


async def test_a_returned_record_is_revised_and_resubmitted_in_one_change():
    uow, deps = world()
    a = drafted(deps)
    a.submit(UNIV, deps.clock.now())
    a.return_for_revision(OPERATOR, deps.clock.now(), "补充专利")
    uow.achievements.seed(a)
    changes = {"linked_ip": [{"kind": "patent", "reference": "CN2026-1", "title": "射频前端"}],
               "funding": {"fiscal": True, "plan": "北京市科技计划", "project_code": "P-1"}}
    a = await handlers.handle(c.ReviseAchievement(UNIV, "ach-1", changes, submit=True, note="已补充"), deps)
    assert (a.status, a.linked_ip[0].reference, a.funding.fiscal) == (Status.SUBMITTED, "CN2026-1", True)
    assert [(e.action, e.from_state, e.to_state) for e in a.audit[-2:]] == [
        ("revise", "RETURNED", "RETURNED"), ("submit", "RETURNED", "SUBMITTED")]
    assert uow.event_names() == ["AchievementRevised", "AchievementSubmitted"] and uow.committed == 1


@pytest.mark.parametrize(("seed", "actor", "changes", "error", "field"), [
    ("in_notice", UNIV, {"title": "新题目"}, TransitionRefused, "status"),
    ("draft", STRANGER, {"title": "新题目"}, Forbidden, "achievement_id"),
    ("draft", OPERATOR, {"title": "新题目"}, Forbidden, "achievement_id"),
    ("draft", UNIV, {}, InvalidInput, "fields"),
    ("draft", UNIV, {"status": "REGISTERED"}, InvalidInput, "fields"),
    ("draft", UNIV, {"organisation": "org-other"}, InvalidInput, "fields"),
    ("draft", UNIV, {"trl": 10}, InvalidInput, "trl"),
    ("draft", UNIV, {"title": " "}, InvalidInput, "title"),
    ("draft", UNIV, {"funding": {"fiscal": True}}, InvalidInput, "funding.project_code"),
])
async def test_a_refused_revision_changes_nothing(seed, actor, changes, error, field):
    uow, deps = world()
    uow.achievements.seed(in_notice(deps) if seed == "in_notice" else drafted(deps))
    before = dict(uow.achievements.items)
    with pytest.raises(error) as refused:
        await handlers.handle(c.ReviseAchievement(actor, "ach-1", changes), deps)
    assert refused.value.field == field
    assert uow.achievements.items == before and uow.events == [] and uow.committed == 0


async def test_a_revision_that_duplicates_a_live_record_is_refused():
    uow, deps = world()
    uow.achievements.seed(drafted(deps, "ach-1"), drafted(deps, "ach-2", title="另一个题目"))
    with pytest.raises(Conflict) as refused:
        await handlers.handle(c.ReviseAchievement(UNIV, "ach-2", {"title": "5G 射频芯片"}), deps)
    assert refused.value.field == "title" and uow.events == []
