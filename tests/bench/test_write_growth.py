"""The write path's growth with the data stored: DraftAchievement (the bus: a retried unit of work
with the duplicate check, the aggregate's and the outbox record's upserts, the commit) with 1,000,
10,000 and 100,000 achievements stored, on the embedded store (SQLite engine) seeded in bulk
(tests/bench/bulk.py), against the store's raw two-insert transaction on the same server. This is
how far the embedded default carries a registry: on it every query but a read by `_id` scans the
collection (docs/performance.md); on a MongoDB replica set the same writes are index lookups."""

import time
import uuid

import pytest

from services.common import mongo
from services.common.clock import SystemClock
from services.common.identity import Principal
from services.common.outbox import Outbox
from services.common.plain import to_plain
from services.common.repository import with_stores
from services.registry.adapters import repositories, title_claims
from services.registry.domain import commands
from services.registry.service_layer import handlers
from services.registry.service_layer.deps import Deps
from tests.bench import bulk
from tests.bench.report import p50
from tests.bench.test_store import raw_transaction_ms
from tests.registry.test_search_scale import _achievement

pytestmark = pytest.mark.bench
SIZES, RUNS, DB = (1_000, 10_000, 100_000), 5, "bench_write_growth"
WHO = Principal("u-bench", "org-a", "BEIJING", frozenset({"institution"}))   # the fillers' organisation


async def _drafts(client) -> list[float]:
    deps = Deps(uow=with_stores(lambda: mongo.UnitOfWork(client, DB, Outbox(client[DB], "registry", SystemClock()),
                                                         "bth.registry.v1"), achievements=repositories.achievements),
                clock=SystemClock())
    times = []
    for _ in range(RUNS + 1):   # the first one opens the connections
        started = time.perf_counter()
        await handlers.handle(commands.DraftAchievement(WHO, title=f"芯片 {uuid.uuid4().hex[:8]}", field="5g",
                                                        type="patent", trl=5), deps)
        times.append((time.perf_counter() - started) * 1000)
    return times[1:]


async def test_draft_growth_to_100k(tmp_path, report):
    path = str(tmp_path / "writes.sqlite")
    async with bulk.served(path) as client:   # the collections and indexes, as the registry creates them
        await repositories.create_indexes(client[DB])
        await Outbox(client[DB], "registry", SystemClock()).create_indexes()
        for collection in ("achievements", title_claims.COLLECTION):
            await client[DB][collection].insert_one({"_id": "seed"})
            await client[DB][collection].delete_one({"_id": "seed"})
    section = "Write path growth (DraftAchievement's unit of work, bulk-seeded store, Mongo-wire server on SQLite)"
    seeded, first = 0, None
    for size in SIZES:
        fillers = [_achievement(f"a{i:06d}", "org-a", 5, [], "") for i in range(seeded, size)]
        bulk.write(path, DB, "achievements", ({"_id": a.achievement_id, **to_plain(a, True)} for a in fillers))
        bulk.write(path, DB, title_claims.COLLECTION, ({"_id": title_claims.claimed(a), "ids": [a.achievement_id]}
                                                        for a in fillers))
        seeded = size
        async with bulk.served(path) as client:
            floor = p50(await raw_transaction_ms(client, f"{DB}_floor", RUNS))
            drafts = p50(await _drafts(client))
        first = first or drafts
        report.add(section, f"DraftAchievement with {size:,} achievements stored, p50", drafts, "ms",
                   "raw two-insert transaction (same server)", floor, target="≤ 5×", met=drafts <= 5 * floor)
        report.add(section, f"DraftAchievement growth to {size:,} stored", drafts, "ms", f"at {SIZES[0]:,}", first,
                   target="≤ 3× (1k → 100k)", met=drafts <= 3 * first)
