"""The matching score on a fixture, computed by hand (pure domain, no I/O). Score, as in
docs/procurement.md: 10 per shared search token, 20 same category, 10 price within budget,
5 same region, 3 recognised first set; achievements: 10 per shared token, 5 same region."""

from services.procurement.domain import matching, text

DEMAND = {"tokens": text.tokens("污水处理 膜 设备 t1"), "category": "energy-saving-environmental",
          "budget": "500000.00", "region": "TIANJIN"}


def product(pid, name, price, region, category="energy-saving-environmental", first_set=False):
    return {"product_id": pid, "name": name, "tokens": text.tokens(name), "category": category, "price": price,
            "region": region, "is_first_set": first_set}


def test_demand_tokens_are_jieba_search_segments():
    assert DEMAND["tokens"] == ["t1", "处理", "污水", "污水处理", "膜", "设备"]


def test_ranking_on_a_fixture():
    products = [
        product("p-a", "污水处理膜组件 t1", "400000.00", "TIANJIN"),                  # 50+20+10+5 = 85
        product("p-b", "污水处理设备 t1", "600000.00", "BEIJING"),                    # 50+20 = 70
        product("p-c", "膜组件", "100.00", "TIANJIN", first_set=True),                # 10+20+10+5+3 = 48
        product("p-d", "光伏逆变器", "100.00", "TIANJIN", category="new-energy"),     # nothing shared: none
        product("p-e", "固废处理", "100.00", "HEBEI", category="new-energy"),         # 10+10 = 20
    ]
    achievements = [{"achievement_id": "a-1", "title": "污水处理膜生物反应器", "abstract": "", "keywords": ["t1"],
                     "region": "TIANJIN"},                                               # 50+5 = 55
                    {"achievement_id": "a-2", "title": "区块链", "keywords": [], "region": "TIANJIN"}]
    ranked = matching.rank(DEMAND, products, achievements)
    assert [(s.ref_id, s.score) for s in ranked] == [("p-a", 85.0), ("p-b", 70.0), ("a-1", 55.0),
                                                     ("p-c", 48.0), ("p-e", 20.0)]
    assert ranked[3].reason == "keywords: 膜; same category; within budget; same region; first set"
    assert ranked[4].reason == "keywords: 处理; within budget"


def test_ties_are_broken_by_kind_then_id_and_the_list_is_capped():
    products = [product(f"p-{i:02d}", "膜", "1.00", "HEBEI") for i in range(12, 0, -1)]   # 10+20+10 = 40 each
    ranked = matching.rank(DEMAND, products, [])
    assert [s.ref_id for s in ranked] == [f"p-{i:02d}" for i in range(1, 11)]
    assert {s.score for s in ranked} == {40.0}
