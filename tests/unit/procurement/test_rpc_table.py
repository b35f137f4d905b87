"""The servicer is the RPC table: every method of ProcurementService has an entry, and the
servicer dispatches through the message bus (no command is both a write and a read)."""

from bth.procurement.v1 import procurement_service_pb2
from services.procurement.entrypoints.grpc_api import RPCS, ProcurementServicer
from services.procurement.service_layer import handlers
from tests.unit.procurement.world import world


def test_every_rpc_of_the_service_is_in_the_table():
    methods = procurement_service_pb2.DESCRIPTOR.services_by_name["ProcurementService"].methods_by_name
    assert sorted(RPCS) == sorted(methods)


def test_the_servicer_dispatches_through_the_bus():
    _, deps = world()
    servicer = ProcurementServicer(deps)
    assert (servicer.deps, type(servicer.bus).__name__) == (deps, "MessageBus")
    assert set(handlers.COMMANDS).isdisjoint(handlers.QUERIES)
