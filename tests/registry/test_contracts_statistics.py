"""Technology contracts (file → register / refuse, time limit with breach and extension,
deterministic numbers) and the live trading map, checked against hand-computed figures
after events from contracts (API), procurement awards and green-channel landings (published
here as CloudEvents records), one of them replayed."""

import re
import uuid
from datetime import datetime

from aiokafka import AIOKafkaProducer

from bth.common.v1.common_pb2 import Deal
from bth.incubation.v1 import case_pb2
from bth.procurement.v1 import events_pb2
from services.common.envelope import Envelope
from tests.conftest import eventually
from tests.support.identity import bearer

OPERATOR = bearer("op-1", "platform", "BEIJING", "operator")


def seller(region: str = "BEIJING"):
    org = f"org-{uuid.uuid4().hex[:8]}"
    return org, bearer(f"user-{org}", org, region, "institution")


def contract(field: str, amount: str, buyer_region: str, **extra) -> dict:
    return {"type": "licence", "title": f"专利实施许可 {uuid.uuid4().hex[:6]}", "amount": amount, "field": field,
            "buyer": {"organisation": f"buyer-{uuid.uuid4().hex[:6]}", "name": "河北某公司",
                      "region": buyer_region}, **extra}


async def filed(api, headers, body) -> dict:
    r = await api.post("/api/v1/contracts", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def test_contract_lifecycle_time_limit_and_refusals(api, platform):
    org, me = seller()
    bad = await api.post("/api/v1/contracts", json=contract("5g", "-5", "HEBEI"), headers=me)
    assert bad.status_code == 400 and bad.json()["field"] == "amount"
    bad = await api.post("/api/v1/contracts", json=contract("astrology", "5", "HEBEI"), headers=me)
    assert bad.status_code == 400 and bad.json()["field"] == "field"
    bad = await api.post("/api/v1/contracts", json={**contract("5g", "5", "HEBEI"), "type": "gift"}, headers=me)
    assert bad.status_code == 422 and bad.json()["field"] == "type"
    c = await filed(api, me, contract("5g", "120000.00", "HEBEI"))
    cid = c["contract_id"]
    assert c["status"] == "FILED" and c["seller"] == {"organisation": org, "region": "BEIJING"}
    assert (await api.post(f"/api/v1/contracts/{cid}/register", headers=me)).status_code == 403
    r = await api.post(f"/api/v1/contracts/{cid}/extend", json={"days": 31}, headers=OPERATOR)
    assert r.status_code == 400 and r.json()["field"] == "days"
    r = await api.post(f"/api/v1/contracts/{cid}/extend", json={"days": 10, "note": "材料补正"}, headers=OPERATOR)
    assert r.status_code == 200 and r.json()["version"] == "2"
    platform.clock.advance(days=7, seconds=1)      # past the default limit, within the extension
    r = await api.post("/api/v1/registry/contracts/check-deadlines", headers=OPERATOR)
    assert r.status_code == 200 and cid not in r.json()["breached"]
    assert "breached" not in (await api.get(f"/api/v1/contracts/{cid}", headers=me)).json()   # false
    platform.clock.advance(days=3)
    # the operator's call or the worker's timer (whichever runs first) raises the breach, once
    r = await api.post("/api/v1/registry/contracts/check-deadlines", headers=OPERATOR)
    assert r.status_code == 200
    again = await api.post("/api/v1/registry/contracts/check-deadlines", headers=OPERATOR)
    assert cid not in again.json()["breached"]
    got = (await api.get(f"/api/v1/contracts/{cid}", headers=me)).json()
    assert got["breached"] is True and got["status"] == "FILED" and got["version"] == "3"
    assert (await api.get(f"/api/v1/contracts/{cid}", headers=seller()[1])).status_code == 404
    r = await api.post(f"/api/v1/contracts/{cid}/register", json={"note": "ok"}, headers=OPERATOR)
    assert r.status_code == 200, r.text
    year = platform.clock.now().year
    assert re.fullmatch(rf"110000-{year}-JSXK-\d{{6}}", r.json()["contract_number"])
    again = await api.post(f"/api/v1/contracts/{cid}/refuse", json={"note": "x"}, headers=OPERATOR)
    assert again.status_code == 409 and again.json()["field"] == "status"
    other = (await filed(api, me, contract("5g", "1.00", "TIANJIN")))["contract_id"]
    r = await api.post(f"/api/v1/contracts/{other}/refuse", headers=OPERATOR)
    assert r.status_code == 400 and r.json()["field"] == "note"
    r = await api.post(f"/api/v1/contracts/{other}/refuse", json={"note": "not a technology contract"},
                       headers=OPERATOR)
    assert r.json()["status"] == "REFUSED" and "contract_number" not in r.json()


async def _publish(kafka_settings, records) -> None:
    producer = AIOKafkaProducer(acks="all", **kafka_settings.client_options())
    await producer.start()
    try:
        for topic, envelope in records:
            key, value, headers = envelope.to_record()
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def test_trading_map_totals_match_hand_computed_figures(api, platform, kafka_settings):
    field = "rail-transit"
    _, beijing = seller("BEIJING")
    _, tianjin = seller("TIANJIN")
    registered = []
    for headers, amount, buyer in ((beijing, "100000.00", "HEBEI"), (beijing, "250000.50", "HEBEI"),
                                   (tianjin, "30000.00", "BEIJING")):
        cid = (await filed(api, headers, contract(field, amount, buyer)))["contract_id"]
        r = await api.post(f"/api/v1/contracts/{cid}/register", headers=OPERATOR)
        registered.append(r.json())
    refused = (await filed(api, beijing, contract(field, "999.00", "OTHER")))["contract_id"]
    await api.post(f"/api/v1/contracts/{refused}/refuse", json={"note": "no"}, headers=OPERATOR)
    await filed(api, beijing, contract(field, "888.00", "OTHER"))              # filed only: not a deal
    decided = datetime.fromisoformat(registered[0]["decided_at"].replace("Z", "+00:00"))
    month = f"{decided.year:04d}-{decided.month:02d}"
    day = f"{decided:%Y-%m-%d}"
    award = events_pb2.AwardMade(award_id=f"aw-{uuid.uuid4().hex[:8]}", deal=Deal(
        kind="award", amount="50000.00", from_region="BEIJING", to_region="HEBEI", field=field, date=day))
    landing = case_pb2.CaseLanded(case_id=f"case-{uuid.uuid4().hex[:8]}", deal=Deal(
        kind="licence", amount="70000.00", from_region="BEIJING", to_region="TIANJIN", field=field, date=day))
    award_env = Envelope(str(uuid.uuid4()), "bth.procurement.v1.AwardMade", "/bth/procurement", award.award_id,
                         decided, award.SerializeToString())
    landing_env = Envelope(str(uuid.uuid4()), "bth.incubation.v1.CaseLanded", "/bth/incubation", landing.case_id,
                           decided, landing.SerializeToString())
    # a sentinel after the replay on the award's partition (same key): once it counts, the replay was seen
    sentinel = events_pb2.AwardMade(award_id=award.award_id, deal=Deal(
        kind="award", amount="1.00", from_region="OTHER", to_region="OTHER", field="food-safety", date="2001-01-15"))
    sentinel_env = Envelope(str(uuid.uuid4()), "bth.procurement.v1.AwardMade", "/bth/procurement", award.award_id,
                            datetime(2001, 1, 15, tzinfo=decided.tzinfo), sentinel.SerializeToString())
    old_month = {"month_from": "2001-01", "month_to": "2001-01"}
    seen_before = (await api.get("/api/v1/trading-map", params=old_month)).json()["count"]
    await _publish(kafka_settings, [("bth.procurement.award.v1", award_env), ("bth.incubation.case.v1", landing_env),
                                    ("bth.procurement.award.v1", award_env),   # the award replayed
                                    ("bth.procurement.award.v1", sentinel_env)])

    async def sentinel_seen():
        r = await api.get("/api/v1/trading-map", params=old_month)
        return r.json().get("count") == seen_before + 1
    await eventually(sentinel_seen, timeout=30)
    query = {"month_from": month, "month_to": month, "field": field}
    expected_routes = [
        {"from_region": "BEIJING", "to_region": "HEBEI", "count": 3, "amount": "400000.50"},
        {"from_region": "BEIJING", "to_region": "TIANJIN", "count": 1, "amount": "70000.00"},
        {"from_region": "TIANJIN", "to_region": "BEIJING", "count": 1, "amount": "30000.00"}]

    async def settled():
        body = (await api.get("/api/v1/trading-map", params=query)).json()
        return body if body.get("count") == 5 else None
    body = await eventually(settled, timeout=30)
    assert body["amount"] == "500000.50"
    assert [{k: r[k] for k in ("from_region", "to_region", "count", "amount")} for r in body["routes"]] == \
        expected_routes
    assert {(f["field"], f["month"]) for f in body["flows"]} == {(field, month)}
    stats = (await api.get("/api/v1/statistics", params=query)).json()
    assert stats["count"] == 5 and stats["amount"] == "500000.50"
    assert [(t["key"], t["count"], t["amount"]) for t in stats["by_region"]] == [
        ("BEIJING", 4, "470000.50"), ("TIANJIN", 1, "30000.00")]
    assert [(t["key"], t["amount"]) for t in stats["by_field"]] == [(field, "500000.50")]
    assert [(t["key"], t["amount"]) for t in stats["by_month"]] == [(month, "500000.50")]
    bad = await api.get("/api/v1/trading-map", params={"month_from": "2026-13"})
    assert bad.status_code == 400 and bad.json()["field"] == "month_from"
