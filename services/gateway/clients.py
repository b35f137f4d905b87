"""gRPC clients of the domain services: one channel each, opened at startup, closed at
shutdown. Identity and request id travel in metadata."""

from dataclasses import dataclass

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from bth.incubation.v1 import incubation_service_pb2_grpc
from bth.procurement.v1 import procurement_service_pb2_grpc
from bth.registry.v1 import registry_service_pb2_grpc
from services.common import internal_auth, logs
from services.common.channels import open_channel
from services.common.identity import Principal


@dataclass
class Clients:
    registry: registry_service_pb2_grpc.RegistryServiceStub
    procurement: procurement_service_pb2_grpc.ProcurementServiceStub
    incubation: incubation_service_pb2_grpc.IncubationServiceStub
    channels: dict[str, grpc.aio.Channel]
    timeout: float
    auth_key: str

    @classmethod
    def open(cls, settings) -> "Clients":
        channels = {name: open_channel(getattr(settings, f"{name}_addr"))
                    for name in ("registry", "procurement", "incubation")}
        return cls(registry_service_pb2_grpc.RegistryServiceStub(channels["registry"]),
                   procurement_service_pb2_grpc.ProcurementServiceStub(channels["procurement"]),
                   incubation_service_pb2_grpc.IncubationServiceStub(channels["incubation"]),
                   channels, settings.grpc_timeout_seconds,
                   internal_auth.require_key(settings.internal_auth_key.get_secret_value()))

    def call_options(self, principal: Principal) -> dict:
        metadata = [*internal_auth.metadata(principal, self.auth_key), ("x-request-id", logs.request_id.get())]
        return {"metadata": metadata, "timeout": self.timeout}

    async def health(self) -> dict[str, str]:
        states = {}
        for name, channel in self.channels.items():
            try:
                reply = await health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(), timeout=1)
                states[name] = health_pb2.HealthCheckResponse.ServingStatus.Name(reply.status)
            except grpc.aio.AioRpcError as exc:
                states[name] = exc.code().name
        return states

    async def close(self) -> None:
        for channel in self.channels.values():
            await channel.close()
