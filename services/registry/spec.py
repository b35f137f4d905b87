"""The registry as the shared runtime sees it (services.common.service)."""

from bth.registry.v1 import registry_service_pb2_grpc
from services.common.service import ServiceSpec, Timer
from services.registry.bootstrap import RegistrySettings, build, create_indexes
from services.registry.domain import text
from services.registry.entrypoints import streams
from services.registry.entrypoints.grpc_api import RegistryServicer
from services.registry.service_layer import handlers

SPEC = ServiceSpec(
    name="registry",
    settings=RegistrySettings,
    build=build,
    servicers=lambda deps: [(registry_service_pb2_grpc.add_RegistryServiceServicer_to_server, RegistryServicer(deps))],
    service_names=["bth.registry.v1.RegistryService"],
    create_indexes=create_indexes,
    subscriptions=lambda deps: handlers.consumed(),
    timers=[Timer("conclude-notices", lambda s: s.notice_check_seconds, handlers.conclude_notices),
            Timer("contract-deadlines", lambda s: s.notice_check_seconds, handlers.check_contract_deadlines),
            Timer("reporting-deadlines", lambda s: s.notice_check_seconds, handlers.flag_reporting_deadlines)],
    agents=streams.agents,
    warmup=lambda: text.tokenize("科技成果转化"),   # jieba's dictionary, once per process
)
