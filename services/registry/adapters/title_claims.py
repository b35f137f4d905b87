"""Which live achievements hold an organisation's title and funding project code (the duplicate
check of registration): one document per such key, `{_id: key, ids: [...]}`, read and written by
`_id` in the unit of work that changes the achievement. A query over the achievements' four fields
scanned the whole collection on the embedded store (docs/performance.md); a read by `_id` costs
the same at any size, on MongoDB too. Two drafts of the same title in concurrent transactions now
write the same document, so one of them retries and finds the other. A holder is checked against
the achievement itself before it counts, so a claim left behind (a crash cannot leave one: the
claim commits with the achievement) never refuses a registration."""

import hashlib
import json
from collections import defaultdict

from services.registry.domain import model

COLLECTION = "title_claims"
BUILT = "title_claims_built"
LIVE = sorted(s.value for s in model.LIVE)


def key(organisation: str, title: str, project_code: str) -> str:
    plain = json.dumps([organisation, title, project_code], ensure_ascii=False)
    return hashlib.sha256(plain.encode()).hexdigest()


def claimed(a: model.Achievement) -> str | None:
    """The key an achievement holds: its own while live, none once rejected or withdrawn."""
    return key(a.organisation, a.title, a.funding.project_code) if a.status in model.LIVE else None


def holds(doc: dict | None, k: str) -> bool:
    """Does the stored achievement (a document of `achievements`) hold the key `k`?"""
    return (doc is not None and doc["status"] in LIVE
            and key(doc["organisation"], doc["title"], doc["funding"]["project_code"]) == k)


class TitleClaims:
    def __init__(self, uow):
        self.uow = uow
        self.collection = uow.db[COLLECTION]
        self.taken: dict[str, str] = {}   # achievement id -> the key `take` added it to

    async def take(self, a: model.Achievement) -> str | None:
        """Add `a` to the holders of its key, unless another live achievement holds it: then that
        one's id is returned (the caller refuses, and the aborted transaction takes nothing back).
        One round trip, as the query it replaces."""
        k = key(a.organisation, a.title, a.funding.project_code)
        doc = await self.collection.find_one_and_update({"_id": k}, {"$addToSet": {"ids": a.achievement_id}},
                                                        upsert=True, session=self.uow.session)
        for aid in (doc or {}).get("ids", []):
            if aid != a.achievement_id and holds(await self.uow.db["achievements"].find_one(
                    {"_id": aid}, session=self.uow.session), k):
                return aid
        self.taken[a.achievement_id] = k
        return None

    async def sync(self, aid: str, before: str | None, after: str | None) -> None:
        """Move the achievement's claim from key `before` to key `after` (both from `claimed`)."""
        if before == after:
            return
        if before is not None:
            await self.collection.update_one({"_id": before}, {"$pull": {"ids": aid}}, session=self.uow.session)
        if after is not None and self.taken.get(aid) != after:
            await self.collection.update_one({"_id": after}, {"$addToSet": {"ids": aid}}, upsert=True,
                                             session=self.uow.session)


async def rebuild(db) -> int:
    """The claims of every live achievement of a store that predates them; returns how many keys.
    Idempotent (`$addToSet`): replicas starting together may both run it."""
    holders: dict[str, list[str]] = defaultdict(list)
    cursor = db["achievements"].find({"status": {"$in": LIVE}},
                                     {"organisation": 1, "title": 1, "funding.project_code": 1})
    async for d in cursor:
        holders[key(d["organisation"], d["title"], d["funding"]["project_code"])].append(d["_id"])
    for k, ids in holders.items():
        await db[COLLECTION].update_one({"_id": k}, {"$addToSet": {"ids": {"$each": ids}}}, upsert=True)
    return len(holders)


async def create_indexes(db) -> None:
    """Claims for a store written before they existed (once, marked in `counters`)."""
    if await db["counters"].find_one({"_id": BUILT}) is None:
        await rebuild(db)
        await db["counters"].update_one({"_id": BUILT}, {"$set": {"value": 1}}, upsert=True)
