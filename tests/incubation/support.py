"""Helpers for the incubation tests: principals, a gRPC stub, registered achievements
(inserted through the registry's own repository and unit of work), an active station."""

import uuid

import grpc
import pytest

from bth.incubation.v1 import incubation_service_pb2 as pb
from bth.incubation.v1 import incubation_service_pb2_grpc
from services.common.identity import Principal
from services.registry.adapters import repositories as registry_repos
from services.registry.domain import model as registry_model
from tests.support.identity import signed


def uid(prefix: str = "") -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"


def who(org: str, region: str, *roles: str, subject: str = "") -> Principal:
    return Principal(subject or uid("u-"), org, region, frozenset(roles))


OPERATOR = Principal("op-1", "platform", "BEIJING", frozenset({"operator"}))


class Api:
    """IncubationService over real gRPC; `call(name, request, principal)`."""

    def __init__(self, port: int):
        self.channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
        self.stub = incubation_service_pb2_grpc.IncubationServiceStub(self.channel)

    async def call(self, name: str, request, principal: Principal):
        return await getattr(self.stub, name)(request, metadata=signed(principal), timeout=10)

    async def refused(self, name: str, request, principal: Principal, code: grpc.StatusCode, field: str):
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await self.call(name, request, principal)
        err = caught.value
        trailers = dict(err.trailing_metadata() or ())
        assert err.code() == code, (err.code(), err.details())
        assert trailers.get("x-bth-field") == field, (trailers, err.details())
        return err


async def registered_achievement(platform, org: str, region: str = "BEIJING", status: str = "REGISTERED",
                                 field: str = "ai") -> str:
    """A registry achievement with `status`, written by the registry's own repository."""
    host = platform.hosts["registry"]
    actor = Principal(uid("u-"), org, region, frozenset({"institution"}))
    now = platform.clock.now()
    achievement = registry_model.draft(str(uuid.uuid4()), actor, now, title=f"成果 {uid()}", abstract="",
                                       field=field, type="patent", trl=6, transfer_modes=["licence"])
    achievement.status = registry_model.Status(status)
    async with host.uow() as uow:
        await registry_repos.achievements(uow).add(achievement)
        await uow.commit()
    return achievement.achievement_id


async def active_station(api: Api, org: str | None = None, region: str = "TIANJIN",
                         services=("testing", "technology_transfer")) -> tuple[str, Principal]:
    station_user = who(org or uid("org-station-"), region, "station")
    applied = await api.call("ApplyStation", pb.ApplyStationRequest(
        name=f"合作站 {uid()}", region=region, services=list(services)), station_user)
    await api.call("ApproveStation", pb.StationAction(station_id=applied.station_id), OPERATOR)
    return applied.station_id, station_user
