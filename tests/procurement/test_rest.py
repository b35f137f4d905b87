"""The procurement flow through the gateway's REST API, with a principal per role:
apply (enterprise) → review (experts) → listed → search (buyer) → demand → award; problem
details naming the field for bad input; role refusals; exact states."""

import uuid
from datetime import timedelta

import pytest

from tests.conftest import eventually
from tests.procurement.support import registered_achievement
from tests.support.identity import bearer

BASE = "/api/v1/procurement"


def principal(role: str, org: str | None = None, region: str = "BEIJING") -> dict:
    tag = uuid.uuid4().hex[:6]
    return bearer(f"{role}-{tag}", org or f"org-{role}-{tag}", region, role)


def application(aid: str, tag: str, **over) -> dict:
    body = {"name": f"智能数控机床远程运维系统 {tag}", "category": "advanced-manufacturing",
            "description": "数控机床 远程运维 预测性维护", "price": "850000.00", "region": "BEIJING",
            "indicators": [{"name": "故障预测准确率", "value": "95", "unit": "%"}], "achievement_ids": [aid]}
    return {**body, **over}


def assert_problem(response, status: int, field: str, kind: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status and body["field"] == field
    assert body["type"] == f"https://bth.example.org/problems/{kind}"
    return body


async def listed(api, platform, vendor: dict, tag: str, **over) -> dict:
    aid = await registered_achievement(platform, f"数控机床预测性维护方法 {tag}", ["数控机床"])
    r = await api.post(f"{BASE}/products", json=application(aid, tag, **over), headers=vendor)
    assert r.status_code == 201, r.text
    pid = r.json()["product_id"]
    for score in (80, 75, 90):
        r = await api.post(f"{BASE}/products/{pid}/reviews", json={"score": score, "opinion": "sound"},
                           headers=principal("expert"))
        assert r.status_code == 200, r.text
    assert r.json()["status"] == "LISTED"
    return r.json()


async def test_apply_review_list_search_demand_award_over_rest(api, platform):
    tag = uuid.uuid4().hex[:8]
    vendor_org = f"org-vendor-{tag}"
    vendor, buyer = principal("enterprise", vendor_org), principal("buyer", region="TIANJIN")
    operator = principal("operator")
    aid = await registered_achievement(platform, f"数控机床预测性维护方法 {tag}", ["数控机床"])

    # apply: a buyer may not; the enterprise gets 201 UNDER_REVIEW resting on the registered achievement
    r = await api.post(f"{BASE}/products", json=application(aid, tag), headers=buyer)
    assert r.status_code == 403 and r.json()["type"].endswith("/forbidden")
    r = await api.post(f"{BASE}/products", json=application(aid, tag), headers=vendor)
    assert r.status_code == 201, r.text
    product = r.json()
    pid = product["product_id"]
    assert (product["status"], product["version"], product["achievement_ids"]) == ("UNDER_REVIEW", "1", [aid])
    assert product["organisation"] == vendor_org and product["price"] == "850000.00"

    # review: the vendor's own expert is refused; three outside experts list it (mean 81.7 >= 60)
    r = await api.post(f"{BASE}/products/{pid}/reviews", json={"score": 90, "opinion": "mine"},
                       headers=principal("expert", vendor_org))
    assert_problem(r, 403, "expert", "forbidden")
    r = await api.post(f"{BASE}/products/{pid}/reviews", json={"score": 90, "opinion": "x"}, headers=vendor)
    assert r.status_code == 403
    states = []
    for score in (80, 75, 90):
        r = await api.post(f"{BASE}/products/{pid}/reviews", json={"score": score, "opinion": "sound"},
                           headers=principal("expert"))
        assert r.status_code == 200, r.text
        states.append(r.json()["status"])
    assert states == ["UNDER_REVIEW", "UNDER_REVIEW", "LISTED"]
    product = r.json()
    assert [x["score"] for x in product["reviews"]] == [80, 75, 90]
    assert [a["action"] for a in product["audit"]] == ["apply", "review", "review", "review", "list"]
    assert product["audit"][-1]["note"] == "mean score 81.7" and product["version"] == "5"
    r = await api.post(f"{BASE}/products/{pid}/reviews", json={"score": 70, "opinion": "late"},
                       headers=principal("expert"))
    assert_problem(r, 409, "status", "transition-refused")

    # search (buyer): full text + filters find exactly this listing
    r = await api.get(f"{BASE}/products", params={"text": tag, "category": "advanced-manufacturing",
                                                  "region": "BEIJING", "min_price": "800000",
                                                  "max_price": "900000"}, headers=buyer)
    assert r.status_code == 200, r.text
    assert [p["product_id"] for p in r.json()["items"]] == [pid] and r.json().get("next_cursor", "") == ""
    r = await api.get(f"{BASE}/products", params={"text": tag, "max_price": "800000"}, headers=buyer)
    assert r.json().get("items", []) == []
    r = await api.get(f"{BASE}/products/{pid}", headers=buyer)
    assert r.status_code == 200 and r.json()["status"] == "LISTED"

    # demand (buyer in Tianjin)
    deadline = (platform.clock.now() + timedelta(days=30)).isoformat()
    demand_body = {"need": f"采购数控机床远程运维系统 {tag}", "category": "advanced-manufacturing",
                   "budget": "1000000.00", "deadline": deadline, "region": "TIANJIN"}
    r = await api.post(f"{BASE}/demands", json=demand_body, headers=vendor)
    assert r.status_code == 403
    r = await api.post(f"{BASE}/demands", json=demand_body, headers=buyer)
    assert r.status_code == 201, r.text
    demand = r.json()
    did = demand["demand_id"]
    assert (demand["status"], demand["budget"], demand["region"]) == ("OPEN", "1000000.00", "TIANJIN")

    # award: over budget and another buyer unit are refused; then 201 and the demand is AWARDED
    award = {"demand_id": did, "product_id": pid, "amount": "900000.00",
             "award_date": platform.clock.now().isoformat()}
    r = await api.post(f"{BASE}/awards", json={**award, "amount": "1000000.01"}, headers=buyer)
    assert_problem(r, 400, "amount", "invalid-input")
    r = await api.post(f"{BASE}/awards", json=award, headers=principal("buyer"))
    assert_problem(r, 403, "demand_id", "forbidden")
    r = await api.post(f"{BASE}/awards", json={**award, "product_id": "no-such-product"}, headers=buyer)
    assert_problem(r, 404, "product_id", "not-found")
    r = await api.post(f"{BASE}/awards", json=award, headers=buyer)
    assert r.status_code == 201, r.text
    made = r.json()
    assert (made["demand_id"], made["product_id"], made["amount"]) == (did, pid, "900000.00")
    assert (made["buyer_region"], made["vendor_region"], made["vendor_organisation"]) == (
        "TIANJIN", "BEIJING", vendor_org)
    r = await api.get(f"{BASE}/demands/{did}", headers=buyer)
    assert r.json()["status"] == "AWARDED" and [a["action"] for a in r.json()["audit"]] == ["publish", "award"]
    r = await api.post(f"{BASE}/awards", json=award, headers=buyer)
    assert_problem(r, 409, "demand_id", "transition-refused")

    # operator suspends: a fresh demand may not be awarded to the suspended product
    r = await api.post(f"{BASE}/products/{pid}/suspend", json={"note": "complaint"}, headers=vendor)
    assert r.status_code == 403
    r = await api.post(f"{BASE}/products/{pid}/suspend", json={"note": "complaint"}, headers=operator)
    assert r.status_code == 200 and r.json()["status"] == "SUSPENDED"
    r = await api.post(f"{BASE}/demands", json=demand_body, headers=buyer)
    r = await api.post(f"{BASE}/awards", json={**award, "demand_id": r.json()["demand_id"]}, headers=buyer)
    assert_problem(r, 409, "product_id", "transition-refused")
    r = await api.get(f"{BASE}/products", params={"text": tag}, headers=buyer)
    assert r.json().get("items", []) == []


@pytest.mark.parametrize("change, field", [
    ({"price": "-5"}, "price"), ({"price": "12.345"}, "price"), ({"colour": "red"}, "colour"),
    ({"achievement_ids": []}, "achievement_ids"), ({"name": ""}, "name"),
    ({"indicators": [{"name": "x"}]}, "indicators.0.value")])
async def test_bad_application_is_422_naming_the_field(api, platform, change, field):
    body = application("any-achievement", uuid.uuid4().hex[:6], **change)
    r = await api.post(f"{BASE}/products", json=body, headers=principal("enterprise"))
    assert_problem(r, 422, field, "validation-error")


async def test_service_refusals_are_problem_details_naming_the_field(api, platform):
    tag = uuid.uuid4().hex[:6]
    vendor, buyer = principal("enterprise"), principal("buyer")
    aid = await registered_achievement(platform, f"成果 {tag}")
    r = await api.post(f"{BASE}/products", json=application(aid, tag, category="astrology"), headers=vendor)
    assert_problem(r, 400, "category", "invalid-input")
    r = await api.post(f"{BASE}/products", json=application("no-such-achievement", tag), headers=vendor)
    assert_problem(r, 400, "achievement_ids", "invalid-input")
    r = await api.post(f"{BASE}/products/no-such-product/reviews", json={"score": 101, "opinion": "x"},
                       headers=principal("expert"))
    assert_problem(r, 422, "score", "validation-error")
    past = (platform.clock.now() - timedelta(days=1)).isoformat()
    demand = {"need": "采购", "category": "new-energy", "budget": "10.00", "deadline": past, "region": "HEBEI"}
    r = await api.post(f"{BASE}/demands", json=demand, headers=buyer)
    assert_problem(r, 400, "deadline", "invalid-input")
    r = await api.post(f"{BASE}/demands", json={**demand, "budget": "-1"}, headers=buyer)
    assert_problem(r, 422, "budget", "validation-error")
    r = await api.get(f"{BASE}/products", params={"region": "MARS"}, headers=buyer)
    assert_problem(r, 400, "region", "invalid-input")
    r = await api.get(f"{BASE}/products/no-such-product", headers=buyer)
    assert_problem(r, 404, "product_id", "not-found")


async def test_first_set_and_suggestions_over_rest(api, platform):
    tag = uuid.uuid4().hex[:8]
    vendor, expert, buyer = principal("enterprise"), principal("expert"), principal("buyer", region="BEIJING")
    deadline = (platform.clock.now() + timedelta(days=30)).isoformat()
    r = await api.post(f"{BASE}/demands", json={"need": f"数控机床 运维 {tag}", "category": "advanced-manufacturing",
                                                "budget": "900000.00", "deadline": deadline,
                                                "region": "BEIJING"}, headers=buyer)
    assert r.status_code == 201, r.text
    did = r.json()["demand_id"]
    product = await listed(api, platform, vendor, tag)
    pid = product["product_id"]

    async def suggested(score: float):
        s = await api.get(f"{BASE}/demands/{did}/suggestions", headers=buyer)
        mine = [i for i in s.json().get("items", []) if i["ref_id"] == pid]
        return mine[0] if mine and mine[0]["score"] == score else None
    # tokens shared: tag, 数控, 数控机床, 机床, 运维 = 50; same category 20; 850k <= 900k 10; same region 5
    item = await eventually(lambda: suggested(85.0), timeout=20)
    assert item["kind"] == "product"
    assert item["reason"] == f"keywords: {tag}, 数控, 数控机床, 机床, 运维; same category; within budget; same region"
    r = await api.post(f"{BASE}/products/{pid}/first-set", headers=vendor,
                       json={"own_ip": True, "major_breakthrough": True, "units_sold_in_region": 4})
    assert_problem(r, 400, "units_sold_in_region", "invalid-input")
    r = await api.post(f"{BASE}/products/{pid}/first-set", headers=vendor,
                       json={"own_ip": True, "major_breakthrough": True, "units_sold_in_region": 3})
    assert r.status_code == 200 and r.json()["first_set"]["status"] == "APPLIED"
    r = await api.post(f"{BASE}/products/{pid}/first-set/decision", json={"approve": True}, headers=expert)
    assert r.status_code == 200 and r.json()["is_first_set"] is True
    assert r.json()["first_set"]["status"] == "RECOGNISED"
    r = await api.get(f"{BASE}/products", params={"text": tag, "first_set": "true"}, headers=buyer)
    assert [p["product_id"] for p in r.json()["items"]] == [pid]
    # recognition re-ranks the demand: + 3 for a recognised first set
    item = await eventually(lambda: suggested(88.0), timeout=20)
    assert item["reason"].endswith("; same region; first set")
