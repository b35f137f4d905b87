"""Catalog applications with the live registry check, expert review, suspension, renewal,
expiry with the controllable clock, and the audit trail."""

import grpc
import pytest

from bth.procurement.v1 import events_pb2, model_pb2
from bth.procurement.v1 import procurement_service_pb2 as pb
from services import devinfra
from services.common.errors import Unavailable
from services.procurement import bootstrap
from services.procurement.domain import commands
from services.procurement.service_layer import handlers
from tests.conftest import eventually
from tests.procurement.support import application, listed_product, registered_achievement, stub, who


def field_of(exc: grpc.aio.AioRpcError) -> str:
    return dict(exc.trailing_metadata() or ()).get("x-bth-field", "")


async def counts(platform):
    db = platform.hosts["procurement"].db
    return await db["products"].count_documents({}), await db["outbox"].count_documents({})


async def test_application_is_checked_live_and_listed_after_expert_review(platform):
    svc, channel = stub(platform)
    vendor = who("enterprise")
    aid = await registered_achievement(platform, "数控机床预测性维护方法", ["数控机床"])
    product = await svc.ApplyProduct(application([aid]), metadata=vendor)
    assert product.status == model_pb2.UNDER_REVIEW and product.version == 1
    assert product.field == "digital-manufacturing" and list(product.achievement_ids) == [aid]
    for i, score in enumerate((80, 75, 90)):
        product = await svc.ReviewProduct(pb.ReviewProductRequest(product_id=product.product_id, score=score,
                                                                  opinion=f"opinion {i}"), metadata=who("expert"))
    assert product.status == model_pb2.LISTED
    listed = product.listed_at.ToDatetime()
    assert (product.valid_until.ToDatetime() - listed).days == 3 * 365
    assert [(e.action, e.from_state, e.to_state) for e in product.audit] == [
        ("apply", "UNDER_REVIEW", "UNDER_REVIEW"), ("review", "UNDER_REVIEW", "UNDER_REVIEW"),
        ("review", "UNDER_REVIEW", "UNDER_REVIEW"), ("review", "UNDER_REVIEW", "UNDER_REVIEW"),
        ("list", "UNDER_REVIEW", "LISTED")]
    assert all(e.actor and e.at.seconds for e in product.audit)
    assert [r.score for r in product.reviews] == [80, 75, 90]
    outbox = platform.hosts["procurement"].db["outbox"]
    records = await outbox.find({"key": product.product_id}).sort("_id", 1).to_list()
    assert [r["type"].rsplit(".", 1)[1] for r in records] == [
        "ProductApplied", "ProductReviewed", "ProductReviewed", "ProductReviewed", "ProductListed"]
    last = events_pb2.ProductListed.FromString(records[-1]["data"])
    assert last.product.version == 5 and last.product.status == model_pb2.LISTED
    assert list(last.visible_regions) == ["BEIJING", "TIANJIN", "HEBEI"] and last.region == "BEIJING"
    first = events_pb2.ProductApplied.FromString(records[0]["data"])
    assert list(first.visible_regions) == []   # an application: no partner (REST answers them 404)
    assert [r["audience"] for r in records] == [[], [], [], [], ["BEIJING", "TIANJIN", "HEBEI"]]
    await channel.close()


async def test_unknown_or_unregistered_achievements_are_refused_and_nothing_saved(platform):
    svc, channel = stub(platform)
    submitted = await registered_achievement(platform, "未登记成果", status="SUBMITTED")
    before = await counts(platform)
    for ids in (["no-such-achievement"], [submitted]):
        with pytest.raises(grpc.aio.AioRpcError) as err:
            await svc.ApplyProduct(application(ids), metadata=who("enterprise"))
        assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert field_of(err.value) == "achievement_ids"
    assert "SUBMITTED" in err.value.details()
    assert await counts(platform) == before
    await channel.close()


async def test_registry_outage_is_unavailable_and_nothing_saved(platform):
    aid = await registered_achievement(platform, "成果")
    settings = platform.settings("procurement").model_copy(
        update={"registry_addr": f"127.0.0.1:{devinfra.free_port()}", "grpc_timeout_seconds": 1.0})
    host, deps = bootstrap.build(settings, platform.clock)
    before = await counts(platform)
    from services.common.identity import Principal
    vendor = Principal("v", "org-v", "BEIJING", frozenset({"enterprise"}))
    with pytest.raises(Unavailable) as err:
        await handlers.handle(commands.ApplyProduct(vendor, name="x", category="advanced-manufacturing",
                                                    price="10.00", region="BEIJING", achievement_ids=[aid]), deps)
    assert err.value.field == "achievement_ids"
    assert await counts(platform) == before
    await deps.registry.close()
    await host.client.close()


@pytest.mark.parametrize("override, field", [
    ({"price": "-5"}, "price"), ({"price": "1e15"}, "price"), ({"price": "abc"}, "price"),
    ({"category": "astrology"}, "category"), ({"region": "SHANGHAI"}, "region"), ({"name": " "}, "name"),
    ({"achievement_ids": []}, "achievement_ids")])
async def test_bad_application_names_the_field(platform, override, field):
    svc, channel = stub(platform)
    before = await counts(platform)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        rest = {k: v for k, v in override.items() if k != "achievement_ids"}
        await svc.ApplyProduct(application(override.get("achievement_ids", ["x"]), **rest),
                               metadata=who("enterprise"))
    assert err.value.code() == grpc.StatusCode.INVALID_ARGUMENT and field_of(err.value) == field
    assert await counts(platform) == before
    await channel.close()


async def test_review_rules_self_review_duplicate_and_rejection(platform):
    svc, channel = stub(platform)
    vendor = who("enterprise", org="org-acme")
    aid = await registered_achievement(platform, "成果A")
    product = await svc.ApplyProduct(application([aid], name="低分产品"), metadata=vendor)
    ref = dict(product_id=product.product_id, opinion="ok")
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await svc.ReviewProduct(pb.ReviewProductRequest(score=90, **ref), metadata=who("expert", org="org-acme"))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED and field_of(err.value) == "expert"
    expert = who("expert")
    await svc.ReviewProduct(pb.ReviewProductRequest(score=40, **ref), metadata=expert)
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await svc.ReviewProduct(pb.ReviewProductRequest(score=40, **ref), metadata=expert)
    assert err.value.code() == grpc.StatusCode.ALREADY_EXISTS
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await svc.ReviewProduct(pb.ReviewProductRequest(score=101, **ref), metadata=who("expert"))
    assert field_of(err.value) == "score"
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await svc.ReviewProduct(pb.ReviewProductRequest(score=90, **ref), metadata=who("buyer"))
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    await svc.ReviewProduct(pb.ReviewProductRequest(score=50, **ref), metadata=who("expert"))
    final = await svc.ReviewProduct(pb.ReviewProductRequest(score=60, **ref), metadata=who("expert"))
    assert final.status == model_pb2.REJECTED and len(final.reviews) == 3
    assert final.audit[-1].action == "reject" and final.audit[-1].note == "mean score 50.0"
    await channel.close()


async def test_suspend_reinstate_expire_and_renew(platform):
    svc, channel = stub(platform)
    vendor, operator = who("enterprise"), who("operator")
    product = await listed_product(platform, svc, vendor)
    pid = product.product_id
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await svc.SuspendProduct(pb.ProductAction(product_id=pid), metadata=vendor)
    assert err.value.code() == grpc.StatusCode.PERMISSION_DENIED
    suspended = await svc.SuspendProduct(pb.ProductAction(product_id=pid, note="complaint"), metadata=operator)
    assert suspended.status == model_pb2.SUSPENDED
    reinstated = await svc.ReinstateProduct(pb.ProductAction(product_id=pid, note="cleared"), metadata=operator)
    assert reinstated.status == model_pb2.LISTED
    with pytest.raises(grpc.aio.AioRpcError) as err:
        await svc.ReinstateProduct(pb.ProductAction(product_id=pid), metadata=operator)
    assert err.value.code() == grpc.StatusCode.FAILED_PRECONDITION

    platform.clock.advance(days=3 * 365 + 1)
    await svc.ExpireListings(pb.ExpireListingsRequest(), metadata=operator)   # or the worker's timer

    async def expired():
        p = await svc.GetProduct(pb.ProductRef(product_id=pid), metadata=vendor)
        return p if p.status == model_pb2.EXPIRED else None
    gone = await eventually(expired)
    assert gone.audit[-1].action == "expire" and gone.audit[-1].from_state == "LISTED"
    renewed = await svc.RenewProduct(pb.ProductAction(product_id=pid, note="renewal"), metadata=vendor)
    assert renewed.status == model_pb2.LISTED
    assert (renewed.valid_until.ToDatetime() - renewed.listed_at.ToDatetime()).days == 3 * 365
    types = [r["type"].rsplit(".", 1)[1] for r in await platform.hosts["procurement"].db["outbox"].find(
        {"key": pid}).sort("_id", 1).to_list()]
    assert types[-4:] == ["ProductSuspended", "ProductReinstated", "ProductExpired", "ProductRenewed"]
    await channel.close()
