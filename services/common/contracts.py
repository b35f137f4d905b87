"""The event catalogue, read from the generated protobuf code: which messages are events,
their topic and key field (options in proto/bth/common/v1/options.proto), and the
conversion of domain event dataclasses to protobuf messages by name."""

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache

from google.protobuf import json_format
from google.protobuf.message import Message

from bth.common.v1 import options_pb2
from services.common.plain import to_plain  # noqa: F401 - re-exported for callers outside domain/


@dataclass(frozen=True)
class EventContract:
    type: str            # full protobuf name, also the CloudEvents `type`
    topic: str
    key_field: str
    message: type[Message]


@cache
def catalogue() -> dict[str, EventContract]:
    """Every event message of every domain, by full name."""
    import bth

    found: dict[str, EventContract] = {}
    for mod in pkgutil.walk_packages(bth.__path__, "bth."):
        if not mod.name.endswith("_pb2"):
            continue
        module = importlib.import_module(mod.name)
        for name in module.DESCRIPTOR.message_types_by_name:
            cls = getattr(module, name)
            opts = cls.DESCRIPTOR.GetOptions()
            topic = opts.Extensions[options_pb2.topic]
            if topic:
                key = opts.Extensions[options_pb2.key_field] or "id"
                found[cls.DESCRIPTOR.full_name] = EventContract(cls.DESCRIPTOR.full_name, topic, key, cls)
    return found


def topics() -> list[str]:
    return sorted({c.topic for c in catalogue().values()})


def contract_for(event: object, package: str) -> EventContract:
    name = f"{package}.{type(event).__name__}"
    try:
        return catalogue()[name]
    except KeyError:
        raise LookupError(f"no event message {name} in proto/ (with a topic option)") from None


def to_message(plain: dict, cls: type[Message]) -> Message:
    """Strict: a key the message lacks (a renamed or misspelt field) raises ParseError instead of
    being dropped. Where the message is intentionally narrower, the caller strips the extra
    fields by name before calling."""
    return json_format.ParseDict(plain, cls())


def to_dict(message: Message) -> dict:
    return json_format.MessageToDict(message, preserving_proto_field_name=True)
