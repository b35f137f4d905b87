"""Servicers built from an RPC table: each entry only translates, request → command → the
service's message bus → reply (the bus holds the one retry and the unit of work).

    RPCS = {"GetStation": rpc(from_request(GetStation), reply(Station)),
            "ApproveStation": rpc(lambda req, who: ChangeStation(who, req.station_id, "approve"), reply(Station))}
    StationServicer = servicer("StationServicer", pb_grpc.StationServiceServicer, RPCS, handlers.bus)
    StationServicer(deps)   # its methods dispatch through handlers.bus(deps)
"""

import re
from collections.abc import Callable
from datetime import UTC

from bth.common.v1 import common_pb2
from services.common import errors, grpc_server
from services.common.contracts import to_dict, to_message
from services.common.plain import to_plain


def _command(to_command: Callable, request, context):
    """The command of a request; a field the command needs and the request left empty (proto3
    drops empty values) is bad input naming that field, not an error of the service."""
    try:
        return to_command(request, grpc_server.principal(context))
    except TypeError as exc:
        missing = re.search(r"required (?:positional |keyword-only )?argument: '(\w+)'", str(exc))
        if missing is None:
            raise
        raise errors.InvalidInput(f"{missing.group(1)} is required", missing.group(1)) from None


def from_request(cls) -> Callable:
    """`to_command` of a command generated from its request message (gen/proto_commands, named
    by the message's `command` option): `cls(who, **the request's fields)`, an empty field taking
    the command's default, which is proto3's (a required one has none: bad input naming it)."""
    def to_command(request, who):
        if request.DESCRIPTOR.full_name != cls.REQUEST:
            raise TypeError(f"{cls.__name__} carries {cls.REQUEST}, not {request.DESCRIPTOR.full_name}")
        return cls(who, **to_dict(request))
    return to_command


def rpc(to_command: Callable, to_reply: Callable):
    """A unary method: `to_command(request, principal)`, the bus, `to_reply(result)`."""
    async def method(self, request, context):
        return to_reply(await self.bus.handle(_command(to_command, request, context)))
    return method


def stream(to_command: Callable, to_item: Callable):
    """A server-streaming method: the bus returns an async iterator; each item is `to_item(item)`."""
    async def method(self, request, context):
        async for item in self.bus.stream(_command(to_command, request, context)):
            yield to_item(item)
    return method


def reply(cls):
    """The result's plain fields as the message `cls`."""
    return lambda result: to_message(to_plain(result), cls)


def servicer(name: str, base: type, table: dict[str, Callable], bus: Callable) -> type:
    """The servicer class: `base` with the table's methods; `cls(deps)` dispatches through `bus(deps)`.
    A table naming a method `base` does not declare is refused (a typo would never be served)."""
    unknown = sorted(n for n in table if not callable(getattr(base, n, None)))
    if unknown:
        raise TypeError(f"{base.__name__} has no methods {unknown}")

    def __init__(self, deps) -> None:
        self.deps, self.bus = deps, bus(deps)
    return type(name, (base,), {"__init__": __init__, **table})


def work_queue(cls, page_cls, item_cls):
    """A work-queue method: QueueRequest → `cls(who, queue name, state, region, due_before,
    page_size, cursor)` → the bus's (items, next_cursor) as `page_cls` of `item_cls` messages."""
    def to_command(req, who):
        due = req.due_before.ToDatetime(tzinfo=UTC) if req.HasField("due_before") else None
        return cls(who, common_pb2.WorkQueue.Name(req.queue), req.state, req.region, due, req.page_size, req.cursor)

    def to_reply(result):
        items, next_cursor = result
        plain = [i.snapshot() if hasattr(i, "snapshot") else to_plain(i) for i in items]
        return page_cls(items=[to_message(p, item_cls) for p in plain], next_cursor=next_cursor)
    return rpc(to_command, to_reply)
