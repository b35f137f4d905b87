"""The registry over gRPC: the live check of the achievements an application cites."""

import grpc

from bth.registry.v1 import achievement_pb2, registry_service_pb2, registry_service_pb2_grpc
from services.common import logs
from services.common.contracts import to_dict
from services.common.errors import InvalidInput, Unavailable
from services.common.identity import Principal

SYSTEM = Principal(subject="procurement-service", roles=frozenset({"operator", "system"}))


class RegistryClient:
    def __init__(self, address: str, timeout: float):
        self.address, self.timeout = address, timeout
        self._channel = None

    def _stub(self) -> registry_service_pb2_grpc.RegistryServiceStub:
        if self._channel is None:
            self._channel = grpc.aio.insecure_channel(self.address)
        return registry_service_pb2_grpc.RegistryServiceStub(self._channel)

    async def registered(self, achievement_id: str) -> dict:
        """The achievement's record if it is REGISTERED; refuses unknown or unregistered ones."""
        metadata = [*SYSTEM.to_metadata(), ("x-request-id", logs.request_id.get() or "")]
        try:
            reply = await self._stub().GetAchievement(
                registry_service_pb2.AchievementRef(achievement_id=achievement_id),
                metadata=metadata, timeout=self.timeout)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise InvalidInput(f"achievement {achievement_id} does not exist in the registry",
                                   "achievement_ids") from None
            if exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                raise Unavailable("the registry is not reachable; nothing was saved, retry shortly",
                                  "achievement_ids") from None
            raise Unavailable(f"the registry failed: {exc.code().name}", "achievement_ids") from None
        if reply.status != achievement_pb2.REGISTERED:
            raise InvalidInput(f"achievement {achievement_id} is {achievement_pb2.AchievementStatus.Name(reply.status)}"
                               ", not registered", "achievement_ids")
        return to_dict(reply)

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
