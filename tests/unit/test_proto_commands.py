"""The commands generated from request messages (gen/proto_commands, services/common/command_gen.py):
each has `actor` and exactly its message's fields, required ones first and without a default, the
others with proto3's; every command a message names is generated and re-exported by its domain;
`from_request` builds one from a request and refuses a request of another message."""

import contextvars
import dataclasses
import importlib
import pkgutil

import pytest
from google.protobuf import message_factory

import bth
from bth.common.v1 import options_pb2
from bth.registry.v1 import contract_pb2, registry_service_pb2
from services.common import errors, grpc_server
from services.common.identity import Principal
from services.common.rpc import _command, from_request
from services.incubation.domain import commands as incubation
from services.procurement.domain import commands as procurement
from services.registry.domain import annual_commands, report_commands
from services.registry.domain import commands as registry

DOMAIN_MODULES = {"incubation": [incubation], "procurement": [procurement],
                  "registry": [registry, annual_commands, report_commands]}
GENERATED = [(domain, cls) for domain in DOMAIN_MODULES
             for cls in vars(importlib.import_module(f"proto_commands.{domain}")).values()
             if dataclasses.is_dataclass(cls) and cls.__module__ == f"proto_commands.{domain}"]
WHO = Principal("u-1", "清华大学", "BEIJING", frozenset({"institution"}))


def request_messages():
    """Every message of every generated module (requests are top-level messages)."""
    for mod in pkgutil.walk_packages(bth.__path__, "bth."):
        if mod.name.endswith("_pb2"):
            yield from importlib.import_module(mod.name).DESCRIPTOR.message_types_by_name.values()


MESSAGES = {m.full_name: m for m in request_messages()}


def request_class(cls):
    return message_factory.GetMessageClass(MESSAGES[cls.REQUEST])


def named_commands(domain: str) -> set[str]:
    return {name for m in MESSAGES.values() if m.full_name.split(".")[1] == domain
            for name in m.GetOptions().Extensions[options_pb2.command]}


@pytest.mark.parametrize(("domain", "cls"), GENERATED, ids=lambda x: getattr(x, "__name__", x))
def test_a_generated_command_has_actor_and_exactly_its_request_fields(domain, cls):
    message = request_class(cls)
    fields = dataclasses.fields(cls)
    required = [f.name for f in message.DESCRIPTOR.fields if f.GetOptions().Extensions[options_pb2.required]]
    optional = [f.name for f in message.DESCRIPTOR.fields if f.name not in required]
    assert [f.name for f in fields] == ["actor", *required, *optional]
    assert [f.name for f in fields if f.default is f.default_factory is dataclasses.MISSING] == ["actor", *required]
    empty = message()
    for f in fields[1 + len(required):]:
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        value = getattr(empty, f.name)
        assert default == ({} if hasattr(value, "DESCRIPTOR") else list(value) if hasattr(value, "append")
                           else value), f.name


@pytest.mark.parametrize("domain", DOMAIN_MODULES)
def test_every_command_a_request_names_is_generated_and_re_exported_by_its_domain(domain):
    generated = {cls.__name__: cls for d, cls in GENERATED if d == domain}
    exported = {name: cls for module in DOMAIN_MODULES[domain] for name, cls in vars(module).items()
                if name in generated}
    assert set(generated) == named_commands(domain) == set(exported)
    assert all(exported[name] is generated[name] for name in generated)


def test_from_request_carries_every_field_and_leaves_empty_ones_at_their_defaults():
    req = contract_pb2.FileContractRequest(type="transfer", title="专利转让", seller={"organisation": "清华大学"},
                                           achievement_ids=["a-1", "a-2"])
    assert from_request(registry.FileContract)(req, WHO) == registry.FileContract(
        WHO, "transfer", "专利转让", seller={"organisation": "清华大学"}, buyer={}, amount="",
        achievement_ids=["a-1", "a-2"], field="")


def test_a_required_field_left_empty_is_bad_input_naming_it():
    def call():
        grpc_server._caller.set(WHO)
        _command(from_request(registry.FileContract), contract_pb2.FileContractRequest(type="transfer"), None)
    with pytest.raises(errors.InvalidInput) as refused:
        contextvars.copy_context().run(call)
    assert (str(refused.value), refused.value.field) == ("title is required", "title")


def test_a_request_of_another_message_is_refused():
    with pytest.raises(TypeError) as refused:
        from_request(registry.GetContract)(registry_service_pb2.AchievementRef(achievement_id="a-1"), WHO)
    assert str(refused.value) == "GetContract carries bth.registry.v1.ContractRef, not bth.registry.v1.AchievementRef"
