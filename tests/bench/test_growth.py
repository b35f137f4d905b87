"""Growth: procurement matching per catalog event, a demand's suggestions read and the trading map
read at growing data sizes, each against the former way measured on the same data in the same run
(the whole-catalog rematch, the all-cells read) or the figure at the smallest size. Search and
match-my-need: test_search_growth.py."""

import dataclasses
import uuid
from types import SimpleNamespace

import pytest

from services.common import mongo
from services.common.outbox import Outbox
from services.common.plain import to_plain
from services.common.repository import with_stores
from services.procurement import bootstrap as procurement_bootstrap
from services.procurement.adapters import repositories as procurement_repositories
from services.procurement.domain import commands as procurement_commands
from services.procurement.service_layer import handlers as procurement_handlers
from services.procurement.service_layer import matching as procurement_matching
from services.procurement.service_layer.deps import Deps
from services.registry.adapters import views
from services.registry.domain import commands, statistics
from services.registry.domain.statistics import Deal
from services.registry.service_layer import statistics as stats_handlers
from tests.bench.report import p50, timed
from tests.registry.test_search_scale import ME
from tests.unit.procurement import world as pworld

pytestmark = pytest.mark.bench


async def test_matching_per_catalog_event(sqlite_mongo, report):
    section = "Procurement matching per catalog event (10 open demands; Mongo-wire server on SQLite)"
    client = mongo.connect(sqlite_mongo, serialize_writes=False)
    name = f"bench_match_{uuid.uuid4().hex[:6]}"
    db = client[name]
    await procurement_repositories.create_indexes(db)
    _, fake = pworld.world()   # its clock and policy
    make = with_stores(lambda: mongo.UnitOfWork(client, name, Outbox(db, "procurement", fake.clock),
                                                "bth.procurement.v1"), **procurement_bootstrap.STORES)
    deps = Deps(uow=make, clock=fake.clock, policy=fake.policy,
                attach=lambda u: with_stores(lambda: u, **procurement_bootstrap.STORES)())
    handler = procurement_handlers.subscriptions(deps)["matching"]["bth.procurement.v1.ProductRenewed"]
    demands = [pworld.open_demand(deps, f"d-{i}") for i in range(10)]
    await db["demands"].insert_many([{"_id": d.demand_id, **to_plain(d, True)} for d in demands])

    async def unit(work):   # what the consumer does: the handler in a unit of work
        async with make() as u:
            await work(u)
            await u.commit()
    first, first_read, seeded, listed = None, None, 0, pworld.listed(deps, "p-template")
    for size in (100, 400, 1600):
        for i in range(seeded, size):   # one listed product, copied (an upsert each: insert_many grows faster here)
            doc = {**to_plain(dataclasses.replace(listed, product_id=f"p-{i:05d}"), True), "_id": f"p-{i:05d}"}
            await db["products"].replace_one({"_id": doc["_id"]}, doc, upsert=True)
        seeded = size
        await unit(lambda u: procurement_matching.rematch(u, deps))
        message = SimpleNamespace(product_id=f"p-{size // 2:05d}")
        new, _ = await timed(lambda m=message: unit(lambda u: handler(m, None, u)))
        old, _ = await timed(lambda: unit(lambda u: procurement_matching.rematch(u, deps)))
        first = first or p50(new)
        report.add(section, f"incremental rescore with {size:,} listed products", p50(new), "ms",
                   "whole-catalog rematch (before)", p50(old))
        report.add(section, f"incremental growth to {size:,} products", p50(new), "ms", "at 100", first,
                   target="≤ 3×", met=p50(new) <= 3 * first)
        read, got = await timed(lambda: procurement_handlers.handle(
            procurement_commands.GetSuggestions(pworld.BUYER, "d-5"), deps))
        assert len(got.items) == min(size, 10)   # the kept top 10 of the listed products
        first_read = first_read or p50(read)
        report.add(section, f"a demand's suggestions read (GetSuggestions) with {size:,} listed products", p50(read),
                   "ms", "at 100", first_read, target="≤ 3×", met=p50(read) <= 3 * first_read)
    await client.drop_database(name)
    await client.close()


async def test_trading_map_read(sqlite_mongo, report):
    client = mongo.connect(sqlite_mongo, serialize_writes=False)
    db = client[f"bench_map_{uuid.uuid4().hex[:6]}"]
    await views.create_indexes(db)
    uow = SimpleNamespace(db=db, session=None)
    uow.statistics = views.statistics(uow)
    section = "Trading map read of one year (cells: months × 3 fields × 2 routes; Mongo-wire server on SQLite)"
    first, months = None, 0
    for size in (24, 72, 144):
        while months < size:
            month = f"{2015 + months // 12}-{months % 12 + 1:02d}"
            for field in ("5g", "ai", "biomedicine"):
                for route in (("BEIJING", "TIANJIN"), ("HEBEI", "BEIJING")):
                    await uow.statistics.count(Deal(month, field, *route, 100_00))
            months += 1
        cmd = commands.GetTradingMap(actor=ME, month_from="2016-01", month_to="2016-12")
        new, answer = await timed(lambda c=cmd: stats_handlers.get_trading_map(c, uow, None))

        async def former(c=cmd):
            cells = [d async for d in db["stats_flows"].find({}, {"_id": 0})]
            return [x for x in cells if statistics.selected(x["month"], x["field"], c.month_from, c.month_to, "")]
        old, cells = await timed(former)
        assert answer["count"] == len(cells) == 72
        first = first or p50(new)
        report.add(section, f"filtered in the store, {size * 6:,} cells stored", p50(new), "ms",
                   "all cells read, filtered in Python (before)", p50(old))
        report.add(section, f"growth to {size * 6:,} cells", p50(new), "ms", "at 144 cells", first, target="≤ 3×",
                   met=p50(new) <= 3 * first)
    await client.drop_database(db.name)
    await client.close()
