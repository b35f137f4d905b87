"""Search and match-my-need at 1,000, 10,000 and 100,000 achievements matching the query, on the
embedded store (SQLite engine). The achievements and the term's posting list are the documents the
registry writes (`to_plain`, `posting_blocks.layout`), seeded in bulk into the store's file
(tests/bench/bulk.py); the best match is stored last. The former 2,000-candidate scan is the
baseline where it finishes in reasonable time."""

import time
from types import SimpleNamespace

import pytest

from services.common.plain import to_plain
from services.registry.adapters import posting_blocks, posting_lists, repositories, search_index
from services.registry.domain import commands, ranking, text
from services.registry.service_layer import search
from tests.bench import bulk
from tests.bench.report import p50, pct, timed
from tests.registry.test_search_scale import ME, _achievement

pytestmark = pytest.mark.bench
SIZES = (1_000, 10_000, 100_000)
TERM, DB = "芯片", "bench_growth"
FORMER_UP_TO = 1_000


async def _former_search(uow, q: str) -> list[str]:
    """What search did before the index: up to 2,000 candidates by the terms, ranked in Python."""
    terms = text.tokenize(q)
    docs = await uow.db["achievements"].find({"status": {"$in": ["IN_NOTICE", "REGISTERED"]},
                                              "terms": {"$in": terms}}, {"_id": 0}, limit=2000).to_list()
    return [d["achievement_id"] for d, _ in ranking.rank(terms, docs)[:20]]


def _doc(a) -> dict:
    return {"_id": a.achievement_id, **to_plain(a, True)}


def _posting(a) -> list:
    trl, weights = search_index.indexed(a)
    return posting_blocks.key(weights[TERM], trl, a.achievement_id)


async def _measure(path: str, size: int):
    async with bulk.served(path) as client:
        uow = SimpleNamespace(db=client[DB], session=None, track=lambda a: a)
        uow.achievements = repositories.achievements(uow)
        query = commands.SearchAchievements(actor=ME, q=TERM)
        found = await timed(lambda: search.search_achievements(query, uow, None))
        matched = await timed(lambda: search.match_need(commands.MatchNeed(actor=ME, q=TERM), uow, None))
        former = await timed(lambda: _former_search(uow, TERM), 3) if size <= FORMER_UP_TO else ([], None)
    return found, matched, former


async def test_search_and_match_growth_to_100k(tmp_path, report):
    path = str(tmp_path / "growth.sqlite")
    best = _achievement("z-best", "org-a", 5, [TERM], TERM)
    async with bulk.served(path) as client:   # the collections and indexes, as the registry creates them
        await repositories.create_indexes(client[DB])
        await client[DB]["achievements"].insert_one(_doc(best))
        await client[DB][posting_lists.COLLECTION].insert_one({"_id": "seed"})   # the collection exists
    postings, seeded, first = [_posting(best)], 0, {}
    section = "Search growth to 100,000 matches (bulk-seeded store, Mongo-wire server on SQLite)"
    for size in SIZES:
        fillers = [_achievement(f"a{i:06d}", "org-a", 5, [], "") for i in range(seeded, size - 1)]
        postings += [_posting(a) for a in fillers]
        started = time.perf_counter()
        bulk.write(path, DB, "achievements", (_doc(a) for a in fillers))
        bulk.write(path, DB, posting_lists.COLLECTION, posting_blocks.layout(TERM, postings), replace=True)
        seeding = time.perf_counter() - started
        seeded = size - 1
        (found, page), (matched, needs), former = await _measure(path, size)
        assert page["items"][0]["achievement"].achievement_id == "z-best"
        assert needs["items"][0]["achievement"].achievement_id == "z-best"
        assert len(page["items"]) == 20
        note = f"best on page 1: yes; seeded in {seeding:.1f} s"
        if former[1] is not None:
            report.add(section, f"index search at {size:,} matches vs the former 2,000-candidate scan, p50",
                       p50(found), "ms", "former scan", p50(former[0]),
                       note=f"the former's best on page 1: {'yes' if former[1][0] == 'z-best' else 'no'}")
        for name, times in (("search", found), ("match-my-need", matched)):
            for q, label in ((0.99, "p99"), (0.5, "p50")):   # p99 of 12 is the slowest: p50 beside it
                first.setdefault((name, q), pct(times, q))
                report.add(section, f"{name} at {size:,} matches, {label}", pct(times, q), "ms",
                           f"{label} at {SIZES[0]:,}", first[(name, q)], target="≤ 3× (1k → 100k)",
                           met=pct(times, q) <= 3 * first[(name, q)], note=note if name == "search" else "")
