"""The search index: an inverted index of the jieba terms of public achievements, one posting
per (term, achievement) in `search_postings` with its stored weight (ranking.term_weights) and
the filterable fields, kept in the unit of work that changes the achievement. `top` ranks
exactly (no candidate cap) with the threshold algorithm over postings sorted like the ranking
(weight, then TRL, then id): it reads each query term's postings best first, and stops once the
n-th best achievement seen ranks before anything not seen yet, which scores at most the sum of
the weights at each term's read position and, on a tie, comes after every list's read position."""

from types import SimpleNamespace

from pymongo import ASCENDING, DESCENDING

from services.common.repository import adapter_of
from services.registry.domain import model, ranking

ORDER = [("term", ASCENDING), ("w", DESCENDING), ("trl", DESCENDING), ("aid", ASCENDING)]
MIN_BATCH = 64


def indexed(a: model.Achievement) -> tuple[dict, dict[str, float]] | None:
    """What the index holds of an achievement: (filterable fields, term weights); None if not public."""
    if a.status not in model.PUBLIC:
        return None
    attrs = {"status": a.status.value, "field": a.field, "region": a.region, "type": a.type,
             "transfer_modes": list(a.transfer_modes), "trl": a.trl, "organisation": a.organisation}
    return attrs, ranking.term_weights(a.search_terms)


class SearchIndex:
    def __init__(self, uow):
        self.uow = uow
        self.postings = uow.db["search_postings"]
        self.achievements = uow.db["achievements"]

    async def sync(self, aid: str, before, after) -> None:
        """Bring the achievement's postings from `before` to `after` (both from `indexed`)."""
        session = self.uow.session
        if before == after:
            return
        if before and after and before[1] == after[1]:   # same terms: only the filterable fields changed
            await self.postings.update_many({"aid": aid}, {"$set": after[0]}, session=session)
            return
        if before:
            await self.postings.delete_many({"aid": aid}, session=session)
        for term, w in (after[1] if after else {}).items():
            # an upsert, not insert_one: the embedded server's insert_one scans the collection (docs/performance.md)
            await self.postings.update_one({"_id": f"{aid}|{term}"},
                                           {"$set": {"term": term, "w": w, "aid": aid, **after[0]}},
                                           upsert=True, session=session)

    async def top(self, terms: list[str], filters: dict, n: int) -> list[tuple[dict, ranking.Scored]]:
        """The n best achievements for the terms among those matching the filters, ranked."""
        batch = max(n, MIN_BATCH)
        cursors = {t: self.postings.find({"term": t, **filters}, {"aid": 1, "w": 1, "trl": 1, "_id": 0},
                                         sort=ORDER, batch_size=batch) for t in terms}
        bound = dict.fromkeys(terms, max(ranking.WEIGHTS.values()) * len(ranking.WEIGHTS))
        last: dict[str, tuple] = {}   # per open list: the (-trl, id) of the last posting read
        docs: dict[str, dict] = {}
        while True:
            for term in list(cursors):
                read = await cursors[term].to_list(batch)
                if len(read) < batch:
                    await cursors.pop(term).close()
                    bound[term] = 0.0
                    last.pop(term, None)
                else:
                    bound[term], last[term] = read[-1]["w"], (-read[-1]["trl"], read[-1]["aid"])
                fresh = list({p["aid"] for p in read} - docs.keys())
                if fresh:
                    async for d in self.achievements.find({"_id": {"$in": fresh}}):
                        docs[d.pop("_id")] = d
            ranked = ranking.rank(terms, list(docs.values()))
            if not cursors or (len(ranked) >= n and _before_unseen(ranked[n - 1], sum(bound.values()), last)):
                for cursor in cursors.values():
                    await cursor.close()
                return ranked[:n]

    async def rebuild(self) -> int:
        """Postings for every public achievement (a store that predates the index); returns how many."""
        count = 0
        async for d in self.achievements.find({"status": {"$in": [s.value for s in model.PUBLIC]}}):
            d.pop("_id")
            a = adapter_of(model.Achievement).validate_python(d)
            await self.sync(a.achievement_id, None, indexed(a))
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


BUILT = "search_index_v1"


async def create_indexes(db) -> None:
    """Indexes, and the postings of a store written before the index existed (once)."""
    await db["search_postings"].create_index(ORDER)
    await db["search_postings"].create_index("aid")
    if await db["counters"].find_one({"_id": BUILT}) is None:
        await SearchIndex(SimpleNamespace(db=db, session=None)).rebuild()
        await db["counters"].update_one({"_id": BUILT}, {"$set": {"value": 1}}, upsert=True)
