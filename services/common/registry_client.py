"""The registry, asked live over gRPC (bth.registry.v1.RegistryService/GetAchievement): the
one client every service uses. One error mapping: NOT_FOUND → errors.NotFound naming the
caller's field; anything else → errors.Unavailable (503, retry later). A caller for whom a
missing achievement is bad input translates NotFound in its handler."""

import grpc

from bth.registry.v1 import achievement_pb2, registry_service_pb2, registry_service_pb2_grpc
from services.common import internal_auth, logs
from services.common.channels import open_channel
from services.common.contracts import to_dict
from services.common.errors import InvalidInput, NotFound, Unavailable
from services.common.identity import SYSTEM, Principal


class RegistryClient:
    def __init__(self, address: str, timeout: float, auth_key: str, principal: Principal = SYSTEM):
        self.address, self.timeout, self.principal = address, timeout, principal
        self.auth_key = auth_key
        self._channel = None
        self._stub = None

    def stub(self) -> registry_service_pb2_grpc.RegistryServiceStub:
        if self._stub is None:
            self._channel = open_channel(self.address)
            self._stub = registry_service_pb2_grpc.RegistryServiceStub(self._channel)
        return self._stub

    async def get_achievement(self, achievement_id: str, field: str = "achievement_id") -> dict:
        metadata = [*internal_auth.metadata(self.principal, self.auth_key),
                    ("x-request-id", logs.request_id.get() or "")]
        try:
            reply = await self.stub().GetAchievement(
                registry_service_pb2.AchievementRef(achievement_id=achievement_id),
                metadata=metadata, timeout=self.timeout)
        except grpc.aio.AioRpcError as exc:
            if exc.code() == grpc.StatusCode.NOT_FOUND:
                raise NotFound(f"achievement {achievement_id} does not exist in the registry", field) from None
            raise Unavailable(f"the registry cannot confirm achievement {achievement_id} now "
                              f"({exc.code().name}); nothing was saved, retry later", field) from None
        return to_dict(reply)

    async def registered(self, achievement_id: str, field: str = "achievement_id") -> dict:
        """The achievement's record if it is REGISTERED; InvalidInput if it is in another status."""
        found = await self.get_achievement(achievement_id, field)
        if found.get("status") != achievement_pb2.AchievementStatus.Name(achievement_pb2.REGISTERED):
            raise InvalidInput(f"achievement {achievement_id} is {found.get('status')}, not registered", field)
        return found

    async def close(self) -> None:
        if self._channel is not None:
            await self._channel.close()
