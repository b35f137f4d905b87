"""Issue 12 item 7: a service believes only a signed identity token. Plain `x-bth-*` metadata
claiming the operator role, a token signed with another key, an expired one, or none at all
are refused UNAUTHENTICATED before any handler runs; health stays open to the probes."""

import os
import time
import uuid

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from bth.registry.v1 import registry_service_pb2 as pb
from bth.registry.v1 import registry_service_pb2_grpc
from services.common import internal_auth
from services.common.identity import Principal
from tests.support.identity import signed

OPERATOR = Principal("op-forged", "platform", "BEIJING", frozenset({"operator"}))
FORGED = [("x-bth-subject", "op"), ("x-bth-organisation", "platform"), ("x-bth-roles", "operator")]


async def test_forged_identities_are_refused_and_a_signed_one_is_served(platform):
    outbox = platform.hosts["registry"].db["outbox"]
    before = await outbox.count_documents({})
    request = pb.DraftAchievementRequest(title=f"伪造身份 {uuid.uuid4().hex[:6]}", field="5g", type="patent", trl=4)
    async with grpc.aio.insecure_channel(f"127.0.0.1:{platform.ports['registry']}") as channel:
        stub = registry_service_pb2_grpc.RegistryServiceStub(channel)
        for metadata in (FORGED, [(internal_auth.HEADER, internal_auth.sign(OPERATOR, "another-key" * 4))],
                         [(internal_auth.HEADER, internal_auth.sign(OPERATOR, _key(), now=time.time() - 3600))],
                         [(internal_auth.HEADER, "not-a-token")]):
            with pytest.raises(grpc.aio.AioRpcError) as refused:
                await stub.DraftAchievement(request, metadata=metadata, timeout=5)
            assert refused.value.code() == grpc.StatusCode.UNAUTHENTICATED, metadata
        assert await outbox.count_documents({}) == before                 # nothing was written
        health = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=5)
        assert health.status == health_pb2.HealthCheckResponse.SERVING   # the probes need no identity
        owner = Principal("u-real", f"org-{uuid.uuid4().hex[:6]}", "BEIJING", frozenset({"institution"}))
        drafted = await stub.DraftAchievement(request, metadata=signed(owner), timeout=5)
        assert drafted.organisation == owner.organisation and drafted.status == 1   # DRAFT
        assert await outbox.count_documents({}) == before + 1


def _key() -> str:
    return os.environ["INTERNAL_AUTH_KEY"]
