"""The procurement service as the shared runtime sees it (services.common.service)."""

from bth.procurement.v1 import procurement_service_pb2_grpc
from services.common.service import ServiceSpec, Timer
from services.procurement.adapters import repositories
from services.procurement.bootstrap import ProcurementSettings, build
from services.procurement.domain import text
from services.procurement.entrypoints.grpc_api import ProcurementServicer
from services.procurement.service_layer import handlers


async def _expire_listings(deps):
    return len(await handlers.expire_listings(deps.clock.now(), deps))


SPEC = ServiceSpec(
    name="procurement",
    settings=ProcurementSettings,
    build=build,
    servicers=lambda deps: [(procurement_service_pb2_grpc.add_ProcurementServiceServicer_to_server,
                             ProcurementServicer(deps))],
    service_names=["bth.procurement.v1.ProcurementService"],
    create_indexes=repositories.create_indexes,
    subscriptions=handlers.subscriptions,
    timers=[Timer("expire-listings", lambda s: s.expiry_interval_seconds, _expire_listings)],
    closers=lambda deps: [deps.registry.close],
    warmup=lambda: text.tokens("新技术新产品"),   # jieba's dictionary, once per process
)
