"""Saved-search handlers, the AchievementRegistered subscription that raises SavedSearchMatched,
and the open-data export (REGISTERED achievements, public fields, as a stream)."""

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


async def save_search(cmd: c.SaveSearch, deps: Deps) -> saved_search.SavedSearch:
    s = saved_search.create(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.name, cmd.query)
    async with deps.uow() as uow:
        await deps.saved_searches(uow).add(s)
        await uow.commit()
    return s


async def list_saved_searches(cmd: c.ListSavedSearches, deps: Deps) -> list[saved_search.SavedSearch]:
    async with deps.uow() as uow:
        return await deps.saved_searches(uow).find({"owner": cmd.actor.subject, "active": True},
                                                   sort=[("created_at", 1), ("_id", 1)])


async def delete_saved_search(cmd: c.DeleteSavedSearch, deps: Deps) -> saved_search.SavedSearch:
    async with deps.uow() as uow:
        repo = deps.saved_searches(uow)
        s = await repo.get(cmd.saved_search_id)
        s.delete(cmd.actor)
        await repo.save(s)
        await uow.commit()
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
        all_terms = sorted({t for ts in terms.values() for t in ts})
        repo = repository_factory(uow)
        candidates = await repo.find({"active": True, "$or": [{"terms": {"$in": all_terms}}, {"terms": []}]},
                                     sort=[("created_at", 1), ("_id", 1)])
        now = envelope.time  # when the registry registered it (its clock)
        for s in candidates:
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


async def export_achievements(cmd: c.ExportAchievements, deps: Deps):
    """The export as an async iterator of public records (validated on the first step)."""
    return _export(cmd, deps)


async def _export(cmd: c.ExportAchievements, deps: Deps):
    """Yield the public record of every REGISTERED achievement matching the filters (and the text,
    if any), ordered by registration number."""
    require(cmd.status in ("", model.Status.REGISTERED.value), "the export holds REGISTERED achievements only",
            "status")
    query = search._filters(cmd, [model.Status.REGISTERED.value])
    terms = text.tokenize(cmd.q)
    if cmd.q.strip() and not terms:
        return
    if terms:
        query["terms"] = {"$in": terms}
    reader = deps.uow()  # a plain read, outside any transaction
    async for doc in reader.db["achievements"].find(query, sort=[("registration_number", 1), ("_id", 1)]):
        if terms and ranking.score(terms, doc.get("search_terms", {})).score <= 0:
            continue
        yield public_record(doc)


# the handler in SUBSCRIPTIONS (consumer group "saved-searches" on bth.registry.achievement.v1)
on_achievement_registered = on_registered(_saved_searches)
