"""Composition root of the incubation service."""

import asyncio

from bth.incubation.v1 import incubation_service_pb2_grpc
from services.common.clock import Clock, SystemClock
from services.common.host import Host
from services.common.settings import ServiceSettings
from services.incubation.entrypoints.grpc_api import IncubationServicer
from services.incubation.service_layer import handlers
from services.incubation.service_layer.deps import Deps

SERVICE_NAMES = ["bth.incubation.v1.IncubationService"]


class IncubationSettings(ServiceSettings):
    service_name: str = "incubation"
    grpc_port: int = 50053


def build(settings: IncubationSettings, clock: Clock | None = None) -> tuple[Host, Deps]:
    host = Host(settings, "bth.incubation.v1", clock or SystemClock())
    return host, Deps(uow=host.uow, clock=host.clock, db=host.db)


async def serve(settings: IncubationSettings, clock: Clock | None = None,
                stop: asyncio.Event | None = None, host_ready=None) -> None:
    host, deps = build(settings, clock)
    registrations = [(incubation_service_pb2_grpc.add_IncubationServiceServicer_to_server,
                      IncubationServicer(deps))]
    await host.start(registrations, SERVICE_NAMES)
    if host_ready:
        host_ready(host)
    consumers = [host.consumer(group, table) for group, table in handlers.SUBSCRIPTIONS.items()]
    await host.run(consumers=consumers, stop=stop)
