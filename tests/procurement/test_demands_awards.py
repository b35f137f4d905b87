"""Demands, awards and their refusals, award events, catalog search, matching, first set."""

import uuid
from datetime import timedelta

import grpc
import pytest

from bth.procurement.v1 import events_pb2
from bth.procurement.v1 import procurement_service_pb2 as pb
from tests.conftest import eventually
from tests.procurement.support import application, listed_product, registered_achievement, stub, ts, who
from tests.procurement.test_catalog import field_of


def demand_req(platform, **over):
    body = dict(need="采购数控机床远程运维系统", category="advanced-manufacturing", budget="1000000.00",
                deadline=ts(platform.clock.now() + timedelta(days=30)), region="TIANJIN")
    body.update(over)
    return pb.PublishDemandRequest(**body)


async def test_demand_refusals_name_the_field(platform):
    svc, channel = stub(platform)
    buyer = who("buyer")
    cases = [({"budget": "-1"}, "budget"), ({"budget": "99999999999999"}, "budget"),
             ({"category": "astrology"}, "category"), ({"region": "MARS"}, "region"),
             ({"deadline": ts(platform.clock.now() - timedelta(days=1))}, "deadline")]
    for override, field in cases:
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await svc.PublishDemand(demand_req(platform, **override), metadata=buyer)
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field_of(err.value) == field
    await channel.close()


async def test_award_rules_and_award_event(platform):
    svc, channel = stub(platform)
    buyer, vendor = who("buyer", region="TIANJIN"), who("enterprise", region="BEIJING")
    product = await listed_product(platform, svc, vendor, price="900000.00")
    pid = product.product_id
    demand = await svc.PublishDemand(demand_req(platform), metadata=buyer)
    now = platform.clock.now()

    async def refused(metadata=buyer, **over):
        body = dict(demand_id=demand.demand_id, product_id=pid, amount="900000.00", award_date=ts(now))
        body.update(over)
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await svc.MakeAward(pb.MakeAwardRequest(**body), metadata=metadata)
        return err.value.code(), field_of(err.value)

    assert await refused(amount="1000000.01") == (grpc.StatusCode.INVALID_ARGUMENT, "amount")
    assert await refused(award_date=ts(now - timedelta(days=1))) == (grpc.StatusCode.FAILED_PRECONDITION,
                                                                      "product_id")
    assert await refused(metadata=who("buyer")) == (grpc.StatusCode.PERMISSION_DENIED, "demand_id")
    other = await svc.ApplyProduct(application([await registered_achievement(platform, "x")], name="未上架"),
                                   metadata=vendor)
    assert await refused(product_id=other.product_id) == (grpc.StatusCode.FAILED_PRECONDITION, "product_id")
    await svc.SuspendProduct(pb.ProductAction(product_id=pid), metadata=who("operator"))
    assert await refused() == (grpc.StatusCode.FAILED_PRECONDITION, "product_id")
    await svc.ReinstateProduct(pb.ProductAction(product_id=pid), metadata=who("operator"))
    assert await platform.hosts["procurement"].db["awards"].count_documents({"demand_id": demand.demand_id}) == 0

    award = await svc.MakeAward(pb.MakeAwardRequest(demand_id=demand.demand_id, product_id=pid,
                                                    amount="1000000.00", award_date=ts(now)), metadata=buyer)
    assert (award.buyer_region, award.vendor_region, award.field) == ("TIANJIN", "BEIJING",
                                                                       "digital-manufacturing")
    assert (await svc.GetDemand(pb.DemandRef(demand_id=demand.demand_id), metadata=buyer)).status == "AWARDED"
    assert await refused() == (grpc.StatusCode.FAILED_PRECONDITION, "demand_id")
    record = await platform.hosts["procurement"].db["outbox"].find_one({"key": award.award_id})
    assert record["topic"] == "bth.procurement.award.v1"
    event = events_pb2.AwardMade.FromString(record["data"])
    assert (event.amount, event.buyer_region, event.vendor_region, event.field) == (
        "1000000.00", "TIANJIN", "BEIJING", "digital-manufacturing")
    assert event.award.product_id == pid and list(event.visible_regions) == ["BEIJING", "TIANJIN"]
    await channel.close()


async def test_search_with_text_filters_and_cursor(platform):
    svc, channel = stub(platform)
    tag = uuid.uuid4().hex[:8]
    vendor = who("enterprise", region="HEBEI")
    made = []
    for i, price in enumerate(("100.00", "200.00", "300.00")):
        made.append(await listed_product(platform, svc, vendor, name=f"氢能燃料电池堆 {tag}",
                                         category="new-energy", region="HEBEI", price=price,
                                         description=f"型号{i}"))
    ids = sorted(p.product_id for p in made)
    buyer = who("buyer")
    page1 = await svc.SearchProducts(pb.SearchProductsRequest(text=f"燃料电池 {tag}", page_size=2), metadata=buyer)
    page2 = await svc.SearchProducts(pb.SearchProductsRequest(text=f"燃料电池 {tag}", page_size=2,
                                                              cursor=page1.next_cursor), metadata=buyer)
    assert [p.product_id for p in page1.items] + [p.product_id for p in page2.items] == ids
    assert page2.next_cursor == ""
    ranged = await svc.SearchProducts(pb.SearchProductsRequest(text=tag, min_price="150", max_price="300",
                                                               region="HEBEI", category="new-energy"),
                                      metadata=buyer)
    assert sorted(p.price for p in ranged.items) == ["200.00", "300.00"]
    none = await svc.SearchProducts(pb.SearchProductsRequest(text=tag, region="TIANJIN"), metadata=buyer)
    assert list(none.items) == []
    past = await svc.SearchProducts(pb.SearchProductsRequest(
        text=tag, valid_on=ts(platform.clock.now() - timedelta(days=1))), metadata=buyer)
    assert list(past.items) == []
    fs = await svc.SearchProducts(pb.SearchProductsRequest(text=tag, first_set=True), metadata=buyer)
    assert list(fs.items) == []
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await svc.SearchProducts(pb.SearchProductsRequest(category="astrology"), metadata=buyer)
    assert field_of(err.value) == "category"
    await channel.close()


async def test_first_set_recognition_and_insurance_claim(platform):
    svc, channel = stub(platform)
    vendor = who("enterprise", org=f"org-fs-{uuid.uuid4().hex[:6]}")
    product = await listed_product(platform, svc, vendor, name="首台套盾构机")
    pid = product.product_id
    base = dict(product_id=pid, own_ip=True, major_breakthrough=True, units_sold_in_region=2)
    for override, field in (({"own_ip": False}, "own_ip"), ({"major_breakthrough": False}, "major_breakthrough"),
                            ({"units_sold_in_region": 4}, "units_sold_in_region")):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await svc.ApplyFirstSet(pb.ApplyFirstSetRequest(**{**base, **override}), metadata=vendor)
        assert field_of(err.value) == field
    applied = await svc.ApplyFirstSet(pb.ApplyFirstSetRequest(**base), metadata=vendor)
    assert applied.first_set.status == "APPLIED" and not applied.is_first_set
    recognised = await svc.DecideFirstSet(pb.DecideRequest(id=pid, approve=True, note="ok"), metadata=who("expert"))
    assert recognised.is_first_set and recognised.first_set.status == "RECOGNISED"
    found = await svc.SearchProducts(pb.SearchProductsRequest(text="盾构机", first_set=True), metadata=who("buyer"))
    assert pid in [p.product_id for p in found.items]

    claim = await svc.ApplyInsuranceClaim(pb.ApplyInsuranceClaimRequest(product_id=pid, amount="50000.00",
                                                                        reason="质量问题赔付"), metadata=vendor)
    assert claim.status == "APPLIED"
    operator = who("operator")
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await svc.SettleInsuranceClaim(pb.DecideRequest(id=claim.claim_id, approve=True), metadata=operator)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    reviewed = await svc.ReviewInsuranceClaim(pb.DecideRequest(id=claim.claim_id, approve=True), metadata=operator)
    paid = await svc.SettleInsuranceClaim(pb.DecideRequest(id=claim.claim_id, approve=True), metadata=operator)
    assert (reviewed.status, paid.status) == ("REVIEWED", "PAID")
    assert [a.to_state for a in paid.audit] == ["APPLIED", "REVIEWED", "PAID"]
    types = [r["type"].rsplit(".", 1)[1] for r in await platform.hosts["procurement"].db["outbox"].find(
        {"key": pid}).sort("_id", 1).to_list()]
    assert types[-2:] == ["FirstSetApplied", "FirstSetRecognised"]
    await channel.close()


async def test_matching_ranks_products_and_achievements_and_updates(platform):
    svc, channel = stub(platform)
    tag = uuid.uuid4().hex[:6]
    buyer = who("buyer", region="TIANJIN")
    aid = await registered_achievement(platform, f"污水处理膜生物反应器 {tag}", [tag], region="TIANJIN")
    demand = await svc.PublishDemand(demand_req(platform, need=f"污水处理 膜 设备 {tag}",
                                                category="energy-saving-environmental", budget="500000.00"),
                                     metadata=buyer)
    vendor = who("enterprise", region="TIANJIN")
    a = await listed_product(platform, svc, vendor, name=f"污水处理膜组件 {tag}", price="400000.00",
                             category="energy-saving-environmental", region="TIANJIN")
    b = await listed_product(platform, svc, vendor, name=f"污水处理设备 {tag}", price="600000.00",
                             category="energy-saving-environmental", region="BEIJING")

    async def suggested():
        s = await svc.GetSuggestions(pb.DemandRef(demand_id=demand.demand_id), metadata=buyer)
        ids = [i.ref_id for i in s.items]
        return s if a.product_id in ids and b.product_id in ids and aid in ids else None
    s = await eventually(suggested, timeout=20)
    mine = [i for i in s.items if i.ref_id in (a.product_id, b.product_id, aid)]
    assert [i.ref_id for i in mine] == [a.product_id, b.product_id, aid]
    # By hand (docs/procurement.md "Matching score"): the demand's tokens are {tag, 处理, 污水, 污水处理, 膜, 设备}.
    # a: 5 shared keywords (tag, 处理, 污水, 污水处理, 膜) 50 + same category 20 + 400k <= 500k budget 10
    #    + TIANJIN = TIANJIN 5 = 85
    # b: 5 shared keywords (tag, 处理, 污水, 污水处理, 设备) 50 + same category 20; 600k is over budget,
    #    BEIJING is not TIANJIN = 70
    # achievement: 5 shared keywords (tag, 处理, 污水, 污水处理, 膜) 50 + same region 5 = 55
    assert [i.score for i in mine] == [85.0, 70.0, 55.0]
    assert [i.kind for i in mine] == ["product", "product", "achievement"]
    assert [i.reason for i in mine] == [
        f"keywords: {tag}, 处理, 污水, 污水处理, 膜; same category; within budget; same region",
        f"keywords: {tag}, 处理, 污水, 污水处理, 设备; same category",
        f"keywords: {tag}, 处理, 污水, 污水处理, 膜; same region"]
    await channel.close()
