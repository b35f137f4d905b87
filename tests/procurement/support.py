"""Helpers for procurement tests: principals, a gRPC stub, registered achievements (set up
through the registry's own model and unit of work), and a listed product."""

import uuid
from datetime import UTC, datetime

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from bth.procurement.v1 import procurement_service_pb2 as pb
from bth.procurement.v1 import procurement_service_pb2_grpc
from services.common.identity import Principal
from services.registry.adapters import repositories as registry_repos
from services.registry.domain import events as registry_events
from services.registry.domain import model as registry_model
from tests.support.identity import signed


def who(role: str, org: str | None = None, region: str = "BEIJING") -> list:
    org = org or f"org-{role}-{uuid.uuid4().hex[:6]}"
    return signed(Principal(f"{role}-{uuid.uuid4().hex[:6]}", org, region, frozenset({role})))


def stub(platform):
    channel = grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['procurement']}")
    return procurement_service_pb2_grpc.ProcurementServiceStub(channel), channel


def ts(moment: datetime) -> Timestamp:
    t = Timestamp()
    t.FromDatetime(moment.astimezone(UTC))
    return t


async def registered_achievement(platform, title: str, keywords=(), field: str = "digital-manufacturing",
                                 region: str = "BEIJING", status: str = "REGISTERED") -> str:
    """A registered achievement written through the registry's own model and unit of work."""
    host = platform.hosts["registry"]
    owner = Principal("inst-user", f"org-inst-{uuid.uuid4().hex[:6]}", region, frozenset({"institution"}))
    a = registry_model.draft(str(uuid.uuid4()), owner, platform.clock.now(), title=title, abstract=title,
                             field=field, type="patent", trl=7, keywords=list(keywords))
    a.events.clear()
    a.status = registry_model.Status(status)
    a.registration_number = f"FIXTURE-{a.achievement_id[:8]}"
    event = getattr(registry_events, "AchievementRegistered", registry_events.AchievementSubmitted)
    a.record(event(a.achievement_id, a.snapshot_after(), "fixture"))
    async with host.uow() as uow:
        await registry_repos.achievements(uow).add(a)
        await uow.commit()
    return a.achievement_id


def application(achievement_ids, **over) -> pb.ApplyProductRequest:
    body = dict(name="智能数控机床远程运维系统", category="advanced-manufacturing",
                description="数控机床 远程运维 预测性维护", price="850000.00", region="BEIJING",
                indicators=[{"name": "故障预测准确率", "value": "95", "unit": "%"}],
                achievement_ids=list(achievement_ids))
    body.update(over)
    return pb.ApplyProductRequest(**body)


async def listed_product(platform, svc, vendor, **over):
    """Apply and pass a product through three experts; returns the listed Product."""
    aid = await registered_achievement(platform, "数控机床预测性维护方法", ["数控机床"])
    product = await svc.ApplyProduct(application([aid], **over), metadata=vendor)
    for score in (80, 75, 90):
        product = await svc.ReviewProduct(pb.ReviewProductRequest(product_id=product.product_id, score=score,
                                                                  opinion="sound"), metadata=who("expert"))
    return product
