"""Search ranks exactly above 2,000 matching achievements (the former candidate cap): the best
one, stored last, is first on page 1; the index follows withdrawal and filters. Seeded through
the repository's own documents and postings in a database of their own on the real Mongo-wire
server in bulk (not 2,054 gRPC calls), then searched through the service-layer handler."""

import base64
import random
import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from services.common import mongo
from services.common.errors import InvalidInput
from services.common.identity import Principal
from services.common.plain import to_plain
from services.registry.adapters import posting_blocks, repositories, search_index
from services.registry.domain import commands, model, ranking, text
from services.registry.service_layer import search

FILLERS = 2050
NOW = datetime(2026, 12, 1, tzinfo=UTC)
ME = Principal("u-scale", "org-scale", "BEIJING", frozenset({"enterprise"}))


def _achievement(aid: str, org: str, trl: int, keywords: list[str], abstract: str) -> model.Achievement:
    actor = Principal("u-x", org, "BEIJING", frozenset({"institution"}))
    a = model.draft(aid, actor, NOW, title="芯片", keywords=keywords, abstract=abstract, field="5g", type="patent",
                    trl=trl, transfer_modes=["licence"])
    a.status = model.Status.REGISTERED
    return a


@pytest.fixture(scope="module")
async def store(own_mongo):
    client = mongo.connect(own_mongo)
    db = client[f"scale_{uuid.uuid4().hex[:8]}"]
    await repositories.create_indexes(db)
    uow = SimpleNamespace(db=db, session=None, track=lambda a: a)
    uow.achievements = repositories.achievements(uow)
    seeded = [_achievement(f"a{i:05d}", "org-a", 5, [], "") for i in range(FILLERS)]   # 芯片 in the title: 3
    seeded += [_achievement("z-best", "org-a", 5, ["芯片"], "芯片"),    # title + keywords + abstract: 6
               _achievement("z-second", "org-a", 4, ["芯片"], "芯片"),  # 6, lower TRL
               _achievement("z-third", "org-a", 9, ["芯片"], ""),        # 5
               _achievement("z-other", "org-b", 9, ["芯片"], "芯片")]   # 6, TRL 9, another organisation
    # the documents Repository.add writes, in bulk (not 2,054 units of work; 100 a call: one call of
    # 2,054 outlasts the client's socket timeout on a busy machine); the fillers' list loaded at once,
    # the last four added through the index's own sync (into the blocks)
    docs = [{"_id": a.achievement_id, **to_plain(a, True)} for a in seeded]
    for i in range(0, len(docs), 100):
        await db["achievements"].insert_many(docs[i:i + 100])
    fillers = [(a.achievement_id, *search_index.indexed(a)) for a in seeded[:FILLERS]]
    await uow.achievements.index.lists.load("芯片", [posting_blocks.key(weights["芯片"], trl, aid)
                                                   for aid, trl, weights in fillers])
    for a in seeded[FILLERS:]:
        await uow.achievements.index.sync(a.achievement_id, None, search_index.indexed(a))
    yield uow
    await client.drop_database(db.name)
    await client.close()


async def _postings(uow, term: str) -> list[str]:
    """The achievement ids of the term's posting list, in its stored order (every block, in order)."""
    directory = await uow.db["search_blocks"].find_one({"_id": f"d\x1f{term}"})
    if "p" in directory:   # a short list lives in its directory
        return [p[2] for p in posting_blocks.decode(directory["p"])]
    ids = []
    for number in directory["numbers"]:
        block = await uow.db["search_blocks"].find_one({"_id": f"b\x1f{term}\x1f{number}"})
        ids += [p[2] for p in posting_blocks.decode(block["p"])]
    return ids


async def _ids(uow, **params) -> tuple[list[str], str]:
    page = await search.search_achievements(commands.SearchAchievements(actor=ME, q="芯片", **params), uow, None)
    return [i["achievement"].achievement_id for i in page["items"]], page["next_cursor"]


async def test_the_best_of_more_than_2000_matches_is_ranked_first(store):
    assert len(await _postings(store, "芯片")) == FILLERS + 4
    assert (await _ids(store, page_size=4))[0] == ["z-other", "z-best", "z-second", "z-third"]
    ids, cursor = await _ids(store, organisation="org-a", page_size=3)
    assert ids == ["z-best", "z-second", "z-third"]
    assert (await _ids(store, organisation="org-a", page_size=2, cursor=cursor))[0] == ["a00000", "a00001"]
    assert (await _ids(store, organisation="org-a", trl_min=9, page_size=5))[0] == ["z-third"]
    # a withdrawn achievement leaves the index (the repository's save, same unit of work)
    a = await store.achievements.get("z-other")
    a.status = model.Status.WITHDRAWN
    await store.achievements.save(a)
    assert "z-other" not in await _postings(store, "芯片")
    assert (await _ids(store, page_size=2))[0] == ["z-best", "z-second"]


async def test_the_last_page_has_no_cursor_and_deep_cursors_are_refused(store):
    last = base64.urlsafe_b64encode(str(FILLERS + 1).encode()).decode()
    ids, cursor = await _ids(store, organisation="org-a", page_size=5, cursor=last)
    assert ids == [f"a{FILLERS - 2:05d}", f"a{FILLERS - 1:05d}"] and cursor == ""
    with pytest.raises(InvalidInput) as refused:
        await _ids(store, cursor=base64.urlsafe_b64encode(b"10001").decode())
    assert refused.value.field == "cursor"


def _draft(rnd: random.Random, aid: str, words: list[str]) -> model.Achievement:
    actor = Principal("u-x", "org-t", "BEIJING", frozenset({"institution"}))
    a = model.draft(aid, actor, NOW, title=" ".join(rnd.sample(words, rnd.randint(0, 2))) or "其他",
                    keywords=rnd.sample(words, rnd.randint(0, 2)), abstract=" ".join(rnd.sample(words, 1)),
                    field="5g", type="patent", trl=rnd.choice([3, 5]), transfer_modes=["licence"])
    a.status = model.Status.REGISTERED
    return a


async def _store(uow, a: model.Achievement, before) -> dict:
    doc = to_plain(a, True)
    await uow.db["achievements"].replace_one({"_id": a.achievement_id}, {"_id": a.achievement_id, **doc}, upsert=True)
    await uow.achievements.index.sync(a.achievement_id, before, search_index.indexed(a))
    return doc


async def test_the_index_ranks_as_the_whole_ranking_does_with_many_ties(own_mongo, monkeypatch):
    """60 achievements over four terms with many equal scores and TRLs, in blocks of 3 to 6 postings
    (so lists split many times), read at least two postings at a time: every page of every query is
    the whole ranking's (ranking.rank over all documents), before and after 25 of them change their
    words and TRL and 10 are withdrawn (their postings move between blocks and leave; emptied
    blocks go); every list then holds exactly its achievements, in ranking order."""
    monkeypatch.setattr(posting_blocks, "BLOCK", 3)
    monkeypatch.setattr(search_index, "MIN_BATCH", 2)
    rnd = random.Random(7)
    words = ["芯片", "电池", "射频", "材料"]
    client = mongo.connect(own_mongo)
    db = client[f"ties_{uuid.uuid4().hex[:8]}"]
    await repositories.create_indexes(db)
    uow = SimpleNamespace(db=db, session=None, track=lambda a: a)
    uow.achievements = repositories.achievements(uow)
    stored = {}
    for i in range(60):
        a = _draft(rnd, f"t{i:02d}", words)
        stored[a.achievement_id] = (a, await _store(uow, a, None))
    await _assert_ranked_as_a_whole(uow, [doc for _, doc in stored.values()])
    for aid in rnd.sample(sorted(stored), 35):
        before = search_index.indexed(stored[aid][0])
        a = _draft(rnd, aid, words)
        if len(stored) > 50 and rnd.random() < 0.4:
            a.status = model.Status.WITHDRAWN
            await _store(uow, a, before)
            del stored[aid]
        else:
            stored[aid] = (a, await _store(uow, a, before))
    assert len(stored) == 50
    await _assert_ranked_as_a_whole(uow, [doc for _, doc in stored.values()])
    for term in words:   # every list holds exactly its achievements, each once, in ranking order
        having = [doc for doc in stored.values() if term in search_index.indexed(doc[0])[1]]
        postings = await _postings(uow, term)
        assert postings == [d["achievement_id"] for d, _ in ranking.rank([term], [doc for _, doc in having])]
    await client.drop_database(db.name)
    await client.close()


async def _assert_ranked_as_a_whole(uow, docs: list[dict]) -> None:
    for q in ("芯片", "芯片 电池", "射频 材料 电池", "芯片 电池 射频 材料"):
        terms = text.tokenize(q)
        whole = [d["achievement_id"] for d, _ in ranking.rank(terms, docs)]
        for n in (1, 4, 9, 30, 61):
            got = [d["achievement_id"] for d, _ in await uow.achievements.ranked(terms, {"status": "REGISTERED"}, n)]
            assert got == whole[:n], (q, n)


async def test_a_store_written_before_the_index_gets_its_lists_at_start_up_once(own_mongo):
    """Achievements stored without lists (and a former `search_postings` index): the start-up
    index creation builds every public achievement's lists, drops the former collection, and
    marks the store so a restart does not build them again."""
    client = mongo.connect(own_mongo)
    db = client[f"rebuild_{uuid.uuid4().hex[:8]}"]
    stored = [_achievement("r-best", "org-a", 5, ["芯片"], "芯片"), _achievement("r-other", "org-a", 5, [], "")]
    withdrawn = _achievement("r-gone", "org-a", 9, ["芯片"], "芯片")
    withdrawn.status = model.Status.WITHDRAWN
    for a in [*stored, withdrawn]:
        await db["achievements"].insert_one({"_id": a.achievement_id, **to_plain(a, True)})
    await db["search_postings"].insert_one({"_id": "r-best|芯片", "term": "芯片", "w": 6.0, "aid": "r-best"})
    await repositories.create_indexes(db)
    uow = SimpleNamespace(db=db, session=None, track=lambda a: a)
    uow.achievements = repositories.achievements(uow)
    assert await _postings(uow, "芯片") == ["r-best", "r-other"]
    assert "search_postings" not in await db.list_collection_names()
    assert await db["counters"].find_one({"_id": search_index.BUILT}) == {"_id": search_index.BUILT, "value": 1}
    await db["achievements"].delete_one({"_id": "r-other"})   # a second start-up does not rebuild
    await repositories.create_indexes(db)
    assert await _postings(uow, "芯片") == ["r-best", "r-other"]
    await client.drop_database(db.name)
    await client.close()
