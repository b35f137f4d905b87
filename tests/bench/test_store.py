"""The embedded store's own floor and its write-cost curve by collection size (a fresh mongoeco
server on SQLite, as `make run` uses, with the platform's repairs: services/devmongo_features.py):
a raw two-insert transaction, and `insert_one`, the upsert that only inserts (what the platform
writes) and `find_one` by _id at growing sizes, each against its cost at the smallest size."""

import time
import uuid

import pytest
from bson import ObjectId

from services.common import mongo
from tests.bench.report import p50

pytestmark = pytest.mark.bench
SIZES = (100, 500, 1500)
SAMPLES = 15


def _doc(i: int) -> dict:
    return {"event_id": f"e{i}-{uuid.uuid4().hex[:6]}", "state": "pending", "data": b"x" * 400, "n": i}


async def raw_transaction_ms(client, db_name: str, n: int = SAMPLES) -> list[float]:
    """A unit of work's store floor: two insert_one in one transaction, committed (small collection)."""
    db, out = client[db_name], []
    for _ in range(n):
        started = time.perf_counter()
        async with client.start_session() as session:
            await session.start_transaction()
            await db["floor_a"].insert_one({"_id": ObjectId(), "v": 1}, session=session)
            await db["floor_b"].insert_one({"_id": ObjectId(), "v": 2}, session=session)
            await session.commit_transaction()
        out.append((time.perf_counter() - started) * 1000)
    await db["floor_a"].drop()
    await db["floor_b"].drop()
    return out


async def test_store_floor_and_insert_cost_curve(sqlite_mongo, report):
    client = mongo.connect(sqlite_mongo, serialize_writes=False)
    floor = p50(await raw_transaction_ms(client, "bench_floor"))
    report.add("Embedded store (mongoeco, SQLite engine)", "raw two-insert transaction, p50", floor, "ms")
    db = client["bench_curve"]
    cols = {"insert_one": db["by_insert"], "upsert": db["by_upsert"]}
    for col in cols.values():
        await col.create_index("event_id", unique=True)
        await col.create_index([("state", 1), ("_id", 1)])
    first: dict = {}
    for size in SIZES:
        times: dict[str, list[float]] = {"insert_one": [], "upsert": [], "find_one": []}
        for name, col in cols.items():
            have = await col.count_documents({})
            for i in range(have, size):   # filled by upsert (cheap); the measured writes follow
                await col.update_one({"_id": ObjectId()}, {"$setOnInsert": _doc(i)}, upsert=True)
            for i in range(SAMPLES):
                started = time.perf_counter()
                if name == "insert_one":
                    await col.insert_one({"_id": ObjectId(), **_doc(i)})
                else:
                    await col.update_one({"_id": ObjectId()}, {"$setOnInsert": _doc(i)}, upsert=True)
                times[name].append((time.perf_counter() - started) * 1000)
        some = [d["_id"] async for d in cols["upsert"].find({}, {"_id": 1}).limit(SAMPLES)]
        for oid in some:
            started = time.perf_counter()
            await cols["upsert"].find_one({"_id": oid})
            times["find_one"].append((time.perf_counter() - started) * 1000)
        for name, values in times.items():
            value = p50(values)
            first.setdefault(name, value)
            report.add("Embedded store (mongoeco, SQLite engine)", f"{name} at {size:,} documents, p50", value, "ms",
                       f"{name} at {SIZES[0]}", first[name], note="growth with the collection",
                       target="≤ 1.5× (flat)", met=value <= 1.5 * first[name])
    await client.drop_database("bench_curve")
    await client.close()
