"""Incremental matching: one changed candidate rescored against the kept top list gives the
ranking of the whole catalog (or says it cannot tell); the consumer rescores only what the
event touched, and a registered achievement reaches an open demand's suggestions."""

from bth.registry.v1 import achievement_pb2
from services.procurement.domain import matching, text
from services.procurement.service_layer import handlers
from tests.unit.procurement.test_matching_handlers import consume, published
from tests.unit.procurement.world import ACHIEVEMENT, listed, open_demand, world

DEMAND = {"tokens": text.tokens("污水处理 膜 设备 t1"), "category": "energy-saving-environmental",
          "budget": "500000.00", "region": "TIANJIN"}


def product(pid, name, price, region):
    return {"product_id": pid, "name": name, "tokens": text.tokens(name), "category": "energy-saving-environmental",
            "price": price, "region": region}


CATALOG = [product(f"p-{i:02d}", "膜" if i % 2 else "污水处理 膜", f"{i}.00", "TIANJIN") for i in range(14)]


def _whole(products):
    return matching.rank(DEMAND, products, [])


def test_a_candidate_outside_or_rising_is_placed_exactly():
    kept = _whole(CATALOG)
    assert len(kept) == matching.LIMIT
    for changed in (product("p-01", "污水处理 膜 设备", "1.00", "TIANJIN"),    # outside the list, now first
                    product("p-00", "污水处理 膜 设备 t1", "0.00", "TIANJIN"),  # inside, rising
                    product("p-99", "膜", "1.00", "HEBEI")):                  # new, below the list
        catalog = [p for p in CATALOG if p["product_id"] != changed["product_id"]] + [changed]
        assert matching.rescore(kept, "product", changed["product_id"],
                                matching.rank_product(DEMAND, changed)) == _whole(catalog)


def test_a_candidate_falling_inside_a_full_list_cannot_be_told():
    kept = _whole(CATALOG)
    inside = kept[0].ref_id
    assert matching.rescore(kept, "product", inside, None) is None
    fallen = product(inside, "膜", "999999999.00", "HEBEI")
    assert matching.rescore(kept, "product", inside, matching.rank_product(DEMAND, fallen)) is None


def test_a_short_list_holds_every_candidate_so_a_fall_is_exact():
    few = CATALOG[:4]
    kept = _whole(few)
    assert matching.rescore(kept, "product", "p-00", None) == _whole(few[1:])


async def test_a_registered_achievement_joins_and_a_withdrawn_one_leaves_the_suggestions():
    uow, deps = world()
    uow.products.seed(listed(deps))
    uow.demands.seed(open_demand(deps))
    await consume(uow, deps, "DemandPublished", published())
    subscribed = handlers.subscriptions(deps)["matching"]
    registered = achievement_pb2.AchievementRegistered(achievement=achievement_pb2.Achievement(
        achievement_id="ach-1", status="REGISTERED", title=ACHIEVEMENT["title"], keywords=ACHIEVEMENT["keywords"],
        region="BEIJING"))
    async with uow:
        assert await subscribed["bth.registry.v1.AchievementRegistered"](registered, None, uow) == ["d-1"]
        await uow.commit()
    assert [(s.kind, s.ref_id) for s in uow.suggestions.items["d-1"].items] == [("product", "p-1"),
                                                                                ("achievement", "ach-1")]
    registered.achievement.status = "WITHDRAWN"
    async with uow:
        assert await subscribed["bth.registry.v1.AchievementWithdrawn"](registered, None, uow) == ["d-1"]
        await uow.commit()
    assert [s.ref_id for s in uow.suggestions.items["d-1"].items] == ["p-1"]


async def test_an_achievement_registered_before_the_demand_is_published_is_suggested_whatever_the_mirror_group_did():
    """The matching group keeps the mirror itself: the "achievements" group, which also keeps it,
    may lag behind, and the demand published afterwards is ranked whole from the mirror."""
    uow, deps = world()   # the mirror is empty: the "achievements" group has not got this far
    uow.products.seed(listed(deps))
    subscribed = handlers.subscriptions(deps)["matching"]
    registered = achievement_pb2.AchievementRegistered(achievement=achievement_pb2.Achievement(
        achievement_id="ach-1", status="REGISTERED", title=ACHIEVEMENT["title"], keywords=ACHIEVEMENT["keywords"],
        region="BEIJING"))
    async with uow:
        assert await subscribed["bth.registry.v1.AchievementRegistered"](registered, None, uow) == []   # no demand yet
        await uow.commit()
    uow.demands.seed(open_demand(deps))
    assert await consume(uow, deps, "DemandPublished", published()) == ["d-1"]
    assert [(s.kind, s.ref_id) for s in uow.suggestions.items["d-1"].items] == [("product", "p-1"),
                                                                                ("achievement", "ach-1")]
