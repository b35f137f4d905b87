"""The incubation service as the shared runtime sees it (services.common.service)."""

from bth.incubation.v1 import incubation_service_pb2_grpc
from services.common.service import ServiceSpec, Timer
from services.incubation.bootstrap import IncubationSettings, build, create_indexes
from services.incubation.entrypoints.grpc_api import IncubationServicer
from services.incubation.service_layer import handlers


async def _detect_sla_breaches(deps):
    return await handlers.detect_sla_breaches(deps.clock.now(), deps)


SPEC = ServiceSpec(
    name="incubation",
    settings=IncubationSettings,
    build=build,
    servicers=lambda deps: [(incubation_service_pb2_grpc.add_IncubationServiceServicer_to_server,
                             IncubationServicer(deps))],
    service_names=["bth.incubation.v1.IncubationService"],
    create_indexes=create_indexes,
    subscriptions=lambda deps: handlers.SUBSCRIPTIONS,
    timers=[Timer("sla-deadlines", lambda s: s.sla_check_seconds, _detect_sla_breaches)],
    closers=lambda deps: [deps.registry.close],
)
