"""Saved-search handlers on fakes: save, list, delete; the AchievementRegistered subscription
(SavedSearchMatched for every active search the achievement matches); the open-data export."""

from types import SimpleNamespace

import pytest

from bth.registry.v1 import achievement_pb2
from services.common.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from services.common.identity import Principal
from services.registry.domain import report_commands as c
from services.registry.domain.saved_search import SavedQuery
from services.registry.service_layer import handlers, saved_searches
from tests.unit.registry.reporting_world import OPERATOR, STRANGER, UNIV, world


def save(actor=UNIV, name="射频", **query) -> c.SaveSearch:
    return c.SaveSearch(actor, name, SavedQuery(**query))


async def saved(deps, *commands) -> list:
    return [await handlers.handle(cmd, deps) for cmd in commands]


async def test_a_user_saves_lists_and_deletes_searches():
    uow, deps = world()
    chips, fives = await saved(deps, save(q="芯片"), save(name="5G", field="5g"))
    assert (chips.owner, chips.organisation, chips.index_terms(), chips.active, chips.version) == (
        "u-1", "org-univ", ["芯片"], True, 1)
    await saved(deps, save(STRANGER, q="电池"))
    listed = await handlers.handle(c.ListSavedSearches(UNIV), deps)
    assert [s.name for s in listed] == ["射频", "5G"]
    deleted = await handlers.handle(c.DeleteSavedSearch(UNIV, fives.saved_search_id), deps)
    assert (deleted.active, deleted.version) == (False, 2)
    assert [s.name for s in await handlers.handle(c.ListSavedSearches(UNIV), deps)] == ["射频"]
    assert uow.event_names() == ["SavedSearchCreated"] * 3 + ["SavedSearchDeleted"]
    assert "terms" not in uow.events[0].saved_search and uow.events[-1].saved_search["active"] is False


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (save(Principal("anonymous"), q="芯片"), Forbidden, "actor"),
    (save(name=" ", q="芯片"), InvalidInput, "name"),
    (save(), InvalidInput, "query"),
    (save(field="mars"), InvalidInput, "query.field"),
    (save(trl_min=10), InvalidInput, "query.trl_min"),
])
async def test_refused_saves_store_nothing(cmd, error, field):
    uow, deps = world()
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert uow.saved_searches.items == {} and uow.events == []


async def test_only_the_owner_or_an_operator_deletes_and_only_once():
    uow, deps = world()
    [s] = await saved(deps, save(q="芯片"))
    with pytest.raises(NotFound) as hidden:
        await handlers.handle(c.DeleteSavedSearch(STRANGER, s.saved_search_id), deps)
    assert (str(hidden.value), hidden.value.field) == (f"saved search {s.saved_search_id} does not exist",
                                                       "saved_search_id")
    assert uow.saved_searches.items[s.saved_search_id].active is True
    await handlers.handle(c.DeleteSavedSearch(OPERATOR, s.saved_search_id), deps)
    with pytest.raises(TransitionRefused):
        await handlers.handle(c.DeleteSavedSearch(UNIV, s.saved_search_id), deps)
    assert uow.saved_searches.items[s.saved_search_id].version == 2
    assert uow.event_names() == ["SavedSearchCreated", "SavedSearchDeleted"]


def registered(achievement_id="ach-1", **fields) -> achievement_pb2.AchievementRegistered:
    record = {"title": "射频芯片", "keywords": ["芯片"], "abstract": "一种射频芯片", "field": "5g", "region": "BEIJING",
              "trl": 6, "registration_number": "110000-2026-0001", **fields}
    return achievement_pb2.AchievementRegistered(achievement_id=achievement_id,
                                                 achievement=achievement_pb2.Achievement(**record))


async def test_a_registered_achievement_matches_the_active_searches_it_satisfies():
    uow, deps = world()
    text_match, filters_match, other_field, gone = await saved(
        deps, save(q="芯片"), save(field="5g", trl_min=5), save(field="ai"), save(q="芯片", name="gone"))
    await handlers.handle(c.DeleteSavedSearch(UNIV, gone.saved_search_id), deps)
    uow.events.clear()
    handle = saved_searches.on_registered(lambda unit: unit.saved_searches)
    async with uow:
        await handle(registered(), SimpleNamespace(time=deps.clock.now()), uow)
        await uow.commit()
    stored = uow.saved_searches.items
    assert [stored[s.saved_search_id].match_count for s in (text_match, filters_match, other_field, gone)] == [
        1, 1, 0, 0]
    assert stored[text_match.saved_search_id].last_matched_at == deps.clock.now()
    assert uow.event_names() == ["SavedSearchMatched", "SavedSearchMatched"]
    assert [(e.achievement_id, e.matched_terms, e.registration_number) for e in uow.events] == [
        ("ach-1", ["芯片"], "110000-2026-0001"), ("ach-1", [], "110000-2026-0001")]


DOCS = [{"_id": "ach-1", "achievement_id": "ach-1", "title": "射频芯片", "status": "REGISTERED", "trl": 6,
         "search_terms": {"title": ["射频", "芯片"]}, "audit": ["internal"],
         "certificate": {"issued_at": "2026-01-02"}},
        {"_id": "ach-2", "achievement_id": "ach-2", "title": "电池", "status": "REGISTERED",
         "search_terms": {"title": ["电池"]}}]


async def records(deps, **filters) -> list[dict]:
    return [r async for r in await handlers.handle(c.ExportAchievements(UNIV, **filters), deps)]


async def test_the_export_streams_public_fields_and_scores_the_text():
    uow, deps = world(exported=DOCS)
    assert await records(deps) == [
        {"achievement_id": "ach-1", "title": "射频芯片", "trl": 6, "registered_at": "2026-01-02"},
        {"achievement_id": "ach-2", "title": "电池"}]
    assert [r["achievement_id"] for r in await records(deps, q="芯片", field="5g")] == ["ach-1"]
    [(_, (query,), _)] = uow.reporting.calls[-1:]
    assert query == {"status": {"$in": ["REGISTERED"]}, "field": "5g", "terms": {"$in": ["芯片"]}}
    calls = len(uow.reporting.calls)
    assert await records(deps, q="的") == [] and len(uow.reporting.calls) == calls   # no terms: nothing read


@pytest.mark.parametrize(("filters", "field"), [({"status": "IN_NOTICE"}, "status"), ({"region": "MARS"}, "region"),
                                                ({"trl_min": 12}, "trl_min")])
async def test_bad_export_filters_are_refused_before_the_stream_starts(filters, field):
    _, deps = world(exported=DOCS)
    with pytest.raises(InvalidInput) as refused:
        await handlers.handle(c.ExportAchievements(UNIV, **filters), deps)
    assert refused.value.field == field
