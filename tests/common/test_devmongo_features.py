"""The embedded server's kept shape answers (services/devmongo_features.py) never change a result:
random writes of every kind (insert, insert_many, upsert, $set, $push, $unset, replace,
find_one_and_update, bulk_write, delete) with plain and irregular values (arrays, reals,
decimals, bytes, subdocuments) interleaved with queries (some sorted), on the repaired
engine and on mongoeco's own, give the same documents; and writes of plain documents keep the
answers, so a miss by `_id` and a four-field query stop scanning the collection."""

import asyncio
import os
import tempfile
from decimal import Decimal

import mongoeco
import mongoeco.engines
from bson import Decimal128
from hypothesis import given, settings
from hypothesis import strategies as st
from pymongo import DeleteOne, InsertOne, UpdateOne

from services.devmongo_features import KeptAnswersEngine, field_of, irregular_paths, touches

IDS = st.sampled_from(["a", "b", "c", "d", 1, 2])
SCALARS = st.one_of(st.sampled_from(["x", "y"]), st.integers(0, 3), st.sampled_from([0.5, 2.0]), st.none(),
                    st.just(Decimal128(Decimal("1.5"))), st.just(b"\x01"))
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=2), st.fixed_dictionaries({"b": SCALARS}),
                   st.lists(st.fixed_dictionaries({"b": SCALARS}), max_size=2))
FIELDS = st.sampled_from(["f", "g", "f.b"])
DOCS = st.fixed_dictionaries({"_id": IDS}, optional={"f": VALUES, "g": VALUES})
WRITES = st.one_of(
    st.tuples(st.just("insert_one"), DOCS),
    st.tuples(st.just("insert_many"), st.lists(DOCS, min_size=2, max_size=2)),
    st.tuples(st.just("upsert"), IDS, FIELDS, VALUES),
    st.tuples(st.just("set"), IDS, FIELDS, VALUES),
    st.tuples(st.just("push"), IDS, st.just("f"), SCALARS),
    st.tuples(st.just("unset"), IDS, FIELDS, st.none()),
    st.tuples(st.just("replace"), IDS, DOCS),
    st.tuples(st.just("find_one_and_update"), IDS, FIELDS, VALUES),
    st.tuples(st.just("bulk"), DOCS, IDS, FIELDS, VALUES),
    st.tuples(st.just("delete"), IDS),
)
QUERIES = st.one_of(
    st.builds(lambda f, v: {f: v}, FIELDS, SCALARS),
    st.builds(lambda f, v: {f: {"$gt": v}}, FIELDS, st.integers(0, 3)),
    st.builds(lambda i: {"_id": i}, IDS),
    st.builds(lambda f, v, g, w: {f: v, g: w}, FIELDS, SCALARS, FIELDS, SCALARS),
    st.builds(lambda f: ("sorted", f), FIELDS),
)


WRITE = {
    "insert_one": lambda col, d: col.insert_one(dict(d)),
    "insert_many": lambda col, docs: col.insert_many([dict(d) for d in docs], ordered=False),
    "upsert": lambda col, i, f, v: col.update_one({"_id": i}, {"$set": {f: v}}, upsert=True),
    "set": lambda col, i, f, v: col.update_one({"_id": i}, {"$set": {f: v}}),
    "push": lambda col, i, f, v: col.update_one({"_id": i}, {"$push": {f: v}}),
    "unset": lambda col, i, f, _: col.update_one({"_id": i}, {"$unset": {f: ""}}),
    "replace": lambda col, i, d: col.replace_one({"_id": i}, {k: v for k, v in d.items() if k != "_id"}),
    "find_one_and_update": lambda col, i, f, v: col.find_one_and_update({"_id": i}, {"$set": {f: v}}),
    "bulk": lambda col, d, i, f, v: col.bulk_write([InsertOne(dict(d)), UpdateOne({"_id": i}, {"$set": {f: v}}),
                                                    DeleteOne({"_id": "zz"})], ordered=False),
    "delete": lambda col, i: col.delete_one({"_id": i}),
}


async def _write(col, op) -> str:
    kind, *args = op
    try:
        await WRITE[kind](col, *args)
        return "ok"
    except Exception as error:   # a refused write (duplicate key, a path through a scalar) must be refused on both
        return type(error).__name__


async def _found(col, query) -> list:
    if isinstance(query, tuple):   # the order counts (a sort asks its own questions: bytes, undefined)
        return [repr(d) async for d in col.find({}).sort([(query[1], 1), ("_id", 1)])]
    return sorted([repr(d) async for d in col.find(query)])


async def _compare(steps) -> None:
    folder = tempfile.mkdtemp()
    async with (mongoeco.AsyncMongoClient(engine=KeptAnswersEngine(os.path.join(folder, "ours.sqlite"))) as a,
                mongoeco.AsyncMongoClient(engine=mongoeco.engines.SQLiteEngine(os.path.join(folder, "b.sqlite"))) as b):
        ours, theirs = a["db"]["c"], b["db"]["c"]
        for collection in (ours, theirs):
            await collection.create_index("g", unique=True, sparse=True)
        for step in steps:
            if isinstance(step, dict) or step[0] == "sorted":
                assert await _found(ours, step) == await _found(theirs, step), step
            else:
                assert await _write(ours, step) == await _write(theirs, step), step


@settings(max_examples=60)
@given(st.lists(st.one_of(WRITES, QUERIES), min_size=4, max_size=24), st.lists(QUERIES, min_size=1, max_size=4))
def test_the_kept_answers_never_change_a_result(steps, finally_asked):
    asyncio.run(_compare(steps + finally_asked))


async def test_plain_writes_keep_the_answers_and_a_miss_by_id_reads_no_document():
    engine = KeptAnswersEngine(os.path.join(tempfile.mkdtemp(), "s.sqlite"))
    async with mongoeco.AsyncMongoClient(engine=engine) as client:
        await _shown_and_kept(engine, client["db"]["c"])


async def _shown_and_kept(engine, col) -> None:
    await col.insert_one({"_id": "seed", "org": "o", "title": "t", "funding": {"code": "z"}, "tags": ["a"]})
    query = {"org": "o", "title": "t", "funding.code": "z", "_id": {"$ne": "x"}}
    assert [d["_id"] async for d in col.find(query)] == ["seed"]
    asked = {k[2] for k in engine._collection_features_cache if k[:2] == ("db", "c")}
    await col.update_one({"_id": "new"}, {"$set": {"org": "o", "tags": ["b"]}}, upsert=True)
    kept = {k[2] for k in engine._collection_features_cache if k[:2] == ("db", "c")}
    assert "top_level_array:_id" in kept   # asked by the upsert's miss on `_id`, and kept
    plain = {q for q in asked if field_of(q) in {"_id", "org", "title", "funding.code"}}
    assert kept - {"top_level_array:_id"} == plain
    assert len(kept) == 18 and engine.irregular[("db", "c")] == {"tags"}
    await col.update_one({"_id": "n2"}, {"$set": {"title": [1]}}, upsert=True)   # an array where a "no" was kept
    assert not any(field_of(k[2]) == "title" for k in engine._collection_features_cache)
    assert [d["_id"] async for d in col.find({"title": 1})] == ["n2"]


def test_paths_and_questions():
    document = {"_id": "a", "n": 1, "r": 0.5, "l": [1], "d": {"x": "s", "y": {"z": [2]}}}
    assert irregular_paths(document) == {"r", "l", "d.y.z"}
    assert field_of("tagged_type:funding.code:decimal128") == "funding.code"
    assert field_of("tagged_type:x:bytes") == "x" and field_of("tagged_type:x:objectid") is None
    assert field_of("comparison_mismatch:x:string") is None and irregular_paths({"b": b"\x01"}) == {"b"}
    assert field_of("traverses_array:a.b") == "a.b" and field_of("top_level_array:_id") == "_id"
    assert touches("a", "a.b") and touches("a.b.c", "a.b") and touches("a", "a") and not touches("a", "ab")
