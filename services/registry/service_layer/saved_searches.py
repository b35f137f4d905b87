"""Saved-search handlers `(cmd, uow, deps)`, the AchievementRegistered subscription that raises
SavedSearchMatched, and the open-data export (REGISTERED achievements, public fields, a stream)."""

import uuid

from services.common.contracts import to_dict
from services.common.errors import require
from services.registry.adapters.report_repositories import saved_searches as _saved_searches
from services.registry.domain import model, ranking, saved_search, text
from services.registry.domain import report_commands as c
from services.registry.service_layer import search
from services.registry.service_layer.deps import Deps

PUBLIC_FIELDS = ("achievement_id", "version", "registration_number", "title", "abstract", "field", "keywords",
                 "type", "trl", "organisation", "region", "funding", "linked_ip", "transfer_modes",
                 "indicative_price")


async def save_search(cmd: c.SaveSearch, uow, deps: Deps) -> saved_search.SavedSearch:
    s = saved_search.create(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.name, cmd.query)
    await uow.saved_searches.add(s)
    return s


async def list_saved_searches(cmd: c.ListSavedSearches, uow, deps: Deps) -> list[saved_search.SavedSearch]:
    return await uow.saved_searches.active_of(cmd.actor.subject)


async def delete_saved_search(cmd: c.DeleteSavedSearch, uow, deps: Deps) -> saved_search.SavedSearch:
    s = await uow.saved_searches.get(cmd.saved_search_id)
    s.delete(cmd.actor)
    await uow.saved_searches.save(s)
    return s


def on_registered(repository_factory):
    """Subscription handler (message, envelope, uow) for bth.registry.v1.AchievementRegistered:
    every active saved search the achievement matches records SavedSearchMatched (same transaction
    as the consumer's inbox mark, so a redelivered event matches once)."""
    async def handle(message, envelope, uow) -> None:
        achievement = to_dict(message.achievement)
        achievement["achievement_id"] = message.achievement_id
        terms = text.index_terms(achievement.get("title", ""), achievement.get("keywords", []),
                                 achievement.get("abstract", ""))
        repo = repository_factory(uow)
        now = envelope.time  # when the registry registered it (its clock)
        for s in await repo.candidates(sorted({t for ts in terms.values() for t in ts})):
            matched = saved_search.match(s.query, achievement, terms)
            if matched is not None:
                s.matched(now, achievement, matched)
                await repo.save(s)
    return handle


def public_record(doc: dict) -> dict:
    record = {k: doc[k] for k in PUBLIC_FIELDS if k in doc}
    if doc.get("certificate"):
        record["registered_at"] = doc["certificate"]["issued_at"]
    return record


async def export_achievements(cmd: c.ExportAchievements, uow, deps: Deps):
    """The export as an async iterator of public records (the filters validated before the
    first record: bad input is refused before the stream starts)."""
    require(cmd.status in ("", model.Status.REGISTERED.value), "the export holds REGISTERED achievements only",
            "status")
    query = search._filters(cmd, [model.Status.REGISTERED.value])
    terms = text.tokenize(cmd.q)
    if terms:
        query["terms"] = {"$in": terms}
    return _export(uow, query, terms, empty=bool(cmd.q.strip()) and not terms)


async def _export(uow, query: dict, terms: list[str], empty: bool):
    """Yield the public record of every matching REGISTERED achievement (with text: those the
    text scores), ordered by registration number."""
    if empty:
        return
    async for doc in await uow.reporting.registered_achievements(query):
        if terms and ranking.score(terms, doc.get("search_terms", {})).score <= 0:
            continue
        yield public_record(doc)


# the handler in SUBSCRIPTIONS (consumer group "saved-searches" on bth.registry.achievement.v1)
on_achievement_registered = on_registered(_saved_searches)
