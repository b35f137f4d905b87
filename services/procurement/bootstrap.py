"""Composition root of the procurement service."""

import asyncio

from bth.procurement.v1 import procurement_service_pb2_grpc
from services.common.clock import Clock, SystemClock
from services.common.host import Host
from services.common.settings import ServiceSettings
from services.procurement.entrypoints.grpc_api import ProcurementServicer
from services.procurement.service_layer import handlers
from services.procurement.service_layer.deps import Deps

SERVICE_NAMES = ["bth.procurement.v1.ProcurementService"]


class ProcurementSettings(ServiceSettings):
    service_name: str = "procurement"
    grpc_port: int = 50052


def build(settings: ProcurementSettings, clock: Clock | None = None) -> tuple[Host, Deps]:
    host = Host(settings, "bth.procurement.v1", clock or SystemClock())
    return host, Deps(uow=host.uow, clock=host.clock, db=host.db)


async def serve(settings: ProcurementSettings, clock: Clock | None = None,
                stop: asyncio.Event | None = None, host_ready=None) -> None:
    host, deps = build(settings, clock)
    registrations = [(procurement_service_pb2_grpc.add_ProcurementServiceServicer_to_server,
                      ProcurementServicer(deps))]
    await host.start(registrations, SERVICE_NAMES)
    if host_ready:
        host_ready(host)
    consumers = [host.consumer(group, table) for group, table in handlers.SUBSCRIPTIONS.items()]
    await host.run(consumers=consumers, stop=stop)
