"""Benchmark (`make bench`): a work-queue page (keyset, services/common/keyset.py, with the
index the demands queue declares) as the collection grows ×10, against a read by `_id` on the
same server in the same run (the baseline: how the store's own reads grow) and against loading
the whole queue (what the queues avoid). Target: the page grows no more than 1.5× the
baseline's growth. On MongoDB the compound index serves the page as one index range; the
embedded server (mongoeco) filters and sorts every match itself, so there the page grows with
the queue (measured and printed, see README "Known limits")."""

import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.common import keyset, mongo

pytestmark = pytest.mark.bench
SIZES, ORGS, ROUNDS = (300, 3000), 10, 30


async def _ms(read, rounds: int = ROUNDS) -> float:
    await read()
    start = time.perf_counter()
    for _ in range(rounds):
        await read()
    return (time.perf_counter() - start) / rounds * 1000


async def test_queue_page_vs_growth_of_the_data_set(infra, capsys, report):
    client = mongo.connect(infra["mongo"])
    col = client[f"bench_queue_{uuid.uuid4().hex[:6]}"]["demands"]
    await col.create_index([("organisation", 1), ("status", 1), ("deadline", 1), ("_id", 1)])
    query = {"organisation": "org-3", "status": keyset.one_of(["OPEN"])}
    start, n, rows = datetime(2026, 1, 1, tzinfo=UTC), 0, {}
    try:
        for size in SIZES:
            while n < size:
                await col.insert_one({"_id": f"d-{n:06d}", "organisation": f"org-{n % ORGS}", "status": "OPEN",
                                      "deadline": start + timedelta(minutes=size - n)})
                n += 1
            first, cursor = await keyset.page(col, query, "deadline", 20, "")
            second, _ = await keyset.page(col, query, "deadline", 20, cursor)
            deadlines = [d["deadline"] for d in first + second]
            assert len(deadlines) == min(40, size // ORGS) and deadlines == sorted(deadlines)
            rows[size] = {
                "page": await _ms(lambda c=cursor: keyset.page(col, query, "deadline", 20, c)),
                "by_id": await _ms(lambda: col.find_one({"_id": "d-000003"})),
                "whole": await _ms(lambda: col.find(query, sort=[("deadline", 1), ("_id", 1)]).to_list(), 5),
            }
    finally:
        await col.database.drop_collection("demands")
        await client.close()
    small, large = rows[SIZES[0]], rows[SIZES[1]]
    growth = {k: large[k] / small[k] for k in small}
    ratio = growth["page"] / growth["by_id"]
    with capsys.disabled():
        for size, r in rows.items():
            print(f"\n[bench] queue of {size // ORGS} in {size} docs: page of 20 {r['page']:.2f} ms, read by id "
                  f"{r['by_id']:.2f} ms, whole queue {r['whole']:.2f} ms", end="")
        print(f"\n[bench] ×{SIZES[1] // SIZES[0]} data: page ×{growth['page']:.2f}, by id ×{growth['by_id']:.2f}, "
              f"whole queue ×{growth['whole']:.2f} -> page growth / by-id growth {ratio:.2f} "
              f"(target <= 1.5: {'met' if ratio <= 1.5 else 'MISSED'})")
    report.add("Work-queue page (20 items, keyset cursor; tests' Mongo-wire server)",
               f"page growth with ×{SIZES[1] // SIZES[0]} data", growth["page"], "×", "read-by-id growth",
               growth["by_id"], target="≤ 1.5×", met=ratio <= 1.5)
