"""The search index: an inverted index of the jieba terms of public achievements, each term's
posting list in blocks read by `_id` (posting_blocks.py, posting_lists.py), each posting with
its stored weight (ranking.term_weights) and TRL, kept in the unit of work that changes the
achievement; the filters are applied to the achievements read. `top` ranks exactly (no candidate
cap) with the threshold algorithm over the lists sorted like the ranking (weight, then TRL, then
id): it reads each query term's blocks best first, and stops once the n-th best achievement seen
ranks before anything not seen yet, which scores at most the sum of the weights at each term's
read position and, on a tie, comes after every list's read position. A page costs a few reads by
`_id` whatever the store holds."""

import asyncio
from types import SimpleNamespace

from services.common import mongo
from services.common.repository import adapter_of
from services.registry.adapters import posting_blocks as blocks
from services.registry.adapters import posting_lists
from services.registry.domain import model, ranking

MIN_BATCH = 32   # postings taken from each term's list per round (a page of 20 takes 21)


def indexed(a: model.Achievement) -> tuple[int, dict[str, float]] | None:
    """What the index holds of an achievement: (its TRL, the ranking's tie-break; term weights); None if
    not public. The filters are applied to the achievements read, so a change of status between the
    public ones, of field, region or organisation writes nothing here."""
    if a.status not in model.PUBLIC:
        return None
    return a.trl, ranking.term_weights(a.search_terms)


class SearchIndex:
    def __init__(self, uow):
        self.uow = uow
        self.lists = posting_lists.PostingLists(uow)
        self.achievements = uow.db["achievements"]

    async def sync(self, aid: str, before, after) -> None:
        """Bring the achievement's postings from `before` to `after` (both from `indexed`)."""
        if before == after:
            return
        old = {t: blocks.key(w, before[0], aid) for t, w in before[1].items()} if before else {}
        new = {t: blocks.key(w, after[0], aid) for t, w in after[1].items()} if after else {}
        for term in sorted(old.keys() | new.keys()):
            if old.get(term) != new.get(term):
                await self.lists.change(term, old.get(term), new.get(term))

    async def top(self, terms: list[str], filters: dict, n: int) -> list[tuple[dict, ranking.Scored]]:
        """The n best achievements for the terms among those matching the filters, ranked."""
        batch = max(n, MIN_BATCH)
        readers = {t: posting_lists.Reader(self.lists, t) for t in terms}
        bound = dict.fromkeys(terms, max(ranking.WEIGHTS.values()) * len(ranking.WEIGHTS))
        position: dict[str, list] = {}   # per open list: the key of the last posting read
        docs: dict[str, dict] = {}   # read and matching the filters
        seen: set[str] = set()
        while True:
            for term, reader in list(readers.items()):
                read = await reader.take(batch)
                if reader.exhausted:
                    del readers[term]
                    bound[term] = 0.0
                    position.pop(term, None)
                elif read:
                    bound[term], position[term] = -read[-1][0], read[-1][:3]
                fresh = list({p[2] for p in read} - seen)
                seen.update(fresh)
                for d in await asyncio.gather(*(self.achievements.find_one({"_id": aid}) for aid in fresh)):
                    if d is not None and blocks.matches(d, filters):
                        docs[d.pop("_id")] = d
            ranked = ranking.rank(terms, list(docs.values()))
            last = {t: (k[1], k[2]) for t, k in position.items()}
            if not readers or (len(ranked) >= n and _before_unseen(ranked[n - 1], sum(bound.values()), last)):
                return ranked[:n]

    async def rebuild(self) -> int:
        """Postings for every public achievement (a store that predates the index); returns how many.
        Outside transactions, each achievement's sync retried on a transient error (putting a posting
        twice is harmless). One process builds: `python -m services.admin init` (the chart's hook)
        before any replica starts; replicas started together on an unbuilt store could race."""
        count = 0
        async for d in self.achievements.find({"status": {"$in": [s.value for s in model.PUBLIC]}}):
            d.pop("_id")
            a = adapter_of(model.Achievement).validate_python(d)
            await mongo.with_retry(lambda a=a: self.sync(a.achievement_id, None, indexed(a)))
            count += 1
        return count


def _before_unseen(nth: tuple[dict, ranking.Scored], threshold: float, last: dict[str, tuple]) -> bool:
    """Does the n-th seen achievement rank before every unseen one? An unseen one scores at most
    `threshold`; scoring exactly that, it sits after the read position of every open list."""
    doc, scored = nth
    if scored.score != threshold:
        return scored.score > threshold
    return (-int(doc.get("trl", 0)), doc["achievement_id"]) <= max(last.values())


def search_index(uow) -> SearchIndex:
    return SearchIndex(uow)


BUILT = "search_index_v2"   # v1: one document per posting in `search_postings`, read by a sorted query


async def create_indexes(db) -> None:
    """The postings of a store written before this index existed (once; a v1 index is dropped)."""
    if await db["counters"].find_one({"_id": BUILT}) is None:
        await db.drop_collection("search_postings")
        await SearchIndex(SimpleNamespace(db=db, session=None)).rebuild()
        await db["counters"].update_one({"_id": BUILT}, {"$set": {"value": 1}}, upsert=True)
