"""Procurement steps of the living demo: catalog applications reviewed by three experts, a
recognised first set, a demand awarded and one left open with suggestions (data.py holds what)."""

from datetime import datetime, timedelta

from services.demo import data

BUYER = "demo-buyer"


async def products(api, ids: dict) -> None:
    for key, vendor, body, scores, first_set in data.PRODUCTS:
        made = await api.post(vendor, "/api/v1/procurement/products",
                              {**body, "achievement_ids": [ids[k] for k in body["achievement_ids"]]})
        ids[key] = made["product_id"]
        for expert, score in zip(data.EXPERTS[::-1], scores, strict=False):   # demo-expert reviews last
            await api.post(expert, f"/api/v1/procurement/products/{ids[key]}/reviews",
                           {"score": score, "opinion": f"评分{score}：技术指标先进，具备自主知识产权"})
        if first_set:
            await api.post(vendor, f"/api/v1/procurement/products/{ids[key]}/first-set", data.FIRST_SET)
            await api.post("demo-operator", f"/api/v1/procurement/products/{ids[key]}/first-set/decision",
                           {"approve": True, "note": "经专家论证，同意认定为首台套"})


async def _demand(api, body: dict) -> str:
    deadline = datetime.fromisoformat(await api.now()) + timedelta(days=data.DEMAND_DAYS)
    made = await api.post(BUYER, "/api/v1/procurement/demands",
                          {**body, "deadline": deadline.isoformat().replace("+00:00", "Z")})
    return made["demand_id"]


async def awarded_demand(api, ids: dict) -> None:
    demand = await _demand(api, data.AWARDED_DEMAND)
    product, amount = data.AWARD
    await api.post(BUYER, "/api/v1/procurement/awards", {"demand_id": demand, "product_id": ids[product],
                                                          "amount": amount, "award_date": await api.now()})


async def open_demand(api, ids: dict) -> None:
    ids["demand:open"] = await _demand(api, data.OPEN_DEMAND)
