"""Servicers from an RPC table (services/common/rpc.py): a table naming a method the generated
base class does not declare is refused when the class is built (a typo is never silently unserved)."""

import pytest

from bth.registry.v1 import registry_service_pb2_grpc
from services.common.rpc import rpc, servicer
from services.registry.entrypoints.grpc_api import RPCS, RegistryServicer


def test_a_method_the_service_does_not_declare_is_refused():
    with pytest.raises(TypeError) as refused:
        servicer("S", registry_service_pb2_grpc.RegistryServiceServicer,
                 {"DraftAchievment": rpc(lambda req, who: None, lambda r: r)}, lambda deps: None)
    assert "DraftAchievment" in str(refused.value)


def test_the_registry_table_serves_every_method_of_its_service():
    from bth.registry.v1 import registry_service_pb2
    declared = {m.name for m in registry_service_pb2.DESCRIPTOR.services_by_name["RegistryService"].methods}
    assert set(RPCS) == declared
    assert all(getattr(RegistryServicer, name) is RPCS[name] for name in declared)
