"""Search and "match my need" on fakes: filters, ranking, cursor paging, and refused filters
naming the field."""

import pytest

from services.common.errors import InvalidInput
from services.registry.domain import commands as c
from services.registry.service_layer import handlers
from tests.unit.registry.lifecycle_world import STRANGER, drafted, in_notice, registered, world


def seeded():
    uow, deps = world()
    uow.achievements.seed(
        registered(deps, "ach-1", title="射频芯片", keywords=["射频"], trl=5),
        registered(deps, "ach-2", 2, title="低功耗芯片", keywords=["射频"], abstract="射频前端", trl=7),
        in_notice(deps, "ach-3", title="电池材料", field="new-materials", keywords=["电池"], trl=4),
        drafted(deps, "ach-4", title="射频草稿"))
    return uow, deps


async def test_search_ranks_public_achievements_by_the_query_terms():
    uow, deps = seeded()
    found = await handlers.handle(c.SearchAchievements(STRANGER, q="射频"), deps)
    # title 3 + keywords 2 + abstract 1; keywords + abstract; abstract only (the draft ach-4 is not public)
    assert [(i["achievement"].achievement_id, i["score"]) for i in found["items"]] == [
        ("ach-1", 6.0), ("ach-2", 3.0), ("ach-3", 1.0)]
    assert found["items"][0]["matched_terms"] == ["射频"] and found["next_cursor"] == ""
    assert uow.committed == 0


async def test_filters_and_the_default_public_statuses():
    uow, deps = seeded()
    everything = await handlers.handle(c.SearchAchievements(STRANGER), deps)
    assert [i["achievement"].achievement_id for i in everything["items"]] == ["ach-2", "ach-1", "ach-3"]  # by TRL
    materials = await handlers.handle(c.SearchAchievements(STRANGER, field="new-materials"), deps)
    assert [i["achievement"].achievement_id for i in materials["items"]] == ["ach-3"]
    high = await handlers.handle(c.SearchAchievements(STRANGER, trl_min=6, status="REGISTERED"), deps)
    assert [i["achievement"].achievement_id for i in high["items"]] == ["ach-2"]


async def test_pages_follow_the_cursor_to_the_end():
    uow, deps = seeded()
    first = await handlers.handle(c.SearchAchievements(STRANGER, page_size=2), deps)
    rest = await handlers.handle(c.SearchAchievements(STRANGER, page_size=2, cursor=first["next_cursor"]), deps)
    assert [i["achievement"].achievement_id for i in first["items"] + rest["items"]] == ["ach-2", "ach-1", "ach-3"]
    assert first["next_cursor"] and rest["next_cursor"] == ""


async def test_match_need_ranks_registered_achievements_only():
    uow, deps = seeded()
    matched = await handlers.handle(c.MatchNeed(STRANGER, q="需要电池和射频"), deps)
    assert [i["achievement"].achievement_id for i in matched["items"]] == ["ach-1", "ach-2"]
    assert "title: 射频" in matched["items"][0]["reason"]


async def test_text_without_terms_finds_nothing():
    uow, deps = seeded()
    assert await handlers.handle(c.SearchAchievements(STRANGER, q="的 和"), deps) == {"items": [], "next_cursor": ""}


@pytest.mark.parametrize(("command", "field"), [
    (c.MatchNeed(STRANGER, q=" "), "q"),
    (c.SearchAchievements(STRANGER, status="DRAFT"), "status"),
    (c.SearchAchievements(STRANGER, region="MARS"), "region"),
    (c.SearchAchievements(STRANGER, transfer_mode="gift"), "transfer_mode"),
    (c.SearchAchievements(STRANGER, trl_max=10), "trl_max"),
    (c.SearchAchievements(STRANGER, page_size=201), "page_size"),
    (c.SearchAchievements(STRANGER, cursor="not-ours!"), "cursor"),
])
async def test_bad_search_input_is_refused_naming_the_field(command, field):
    uow, deps = seeded()
    with pytest.raises(InvalidInput) as refused:
        await handlers.handle(command, deps)
    assert refused.value.field == field
