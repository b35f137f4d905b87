"""The registry, asked live over gRPC (bth.registry.v1.RegistryService/GetAchievement)."""

import grpc

from bth.registry.v1 import registry_service_pb2, registry_service_pb2_grpc
from services.common import logs
from services.common.contracts import to_dict
from services.common.errors import NotFound, Unavailable
from services.common.identity import SYSTEM


class RegistryClient:
    def __init__(self, address: str, timeout: float):
        self.address, self.timeout = address, timeout
        self._channel = None
        self._stub = None

    def stub(self) -> registry_service_pb2_grpc.RegistryServiceStub:
        if self._stub is None:
            self._channel = grpc.aio.insecure_channel(self.address)
            self._stub = registry_service_pb2_grpc.RegistryServiceStub(self._channel)
        return self._stub

    async def get_achievement(self, achievement_id: str) -> dict:
        metadata = [*SYSTEM.to_metadata(), ("x-request-id", logs.request_id.get())]
        try:
            reply = await self.stub().GetAchievement(
                registry_service_pb2.AchievementRef(achievement_id=achievement_id),
                metadata=metadata, timeout=self.timeout)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound(f"achievement {achievement_id} is not registered", "achievement_id") from None
            raise Unavailable(f"the registry cannot confirm achievement {achievement_id} now "
                              f"({exc.code().name}); retry later", "achievement_id") from None
        return to_dict(reply)

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
