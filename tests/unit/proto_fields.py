"""Do a domain dataclass and its protobuf message have the same fields? A renamed or added
field on either side fails here instead of being dropped on the way (any service can use it:
`assert field_mismatches(Station, station_pb2.Station) == []`)."""

import dataclasses
import types
import typing

from google.protobuf.descriptor import FieldDescriptor

SKIP = {"events"}   # the aggregate's pending events are never part of its message


def _inner(hint):
    """The dataclass inside `X`, `list[X]`, `X | None`, or None."""
    for arg in (typing.get_args(hint) or (hint,)):
        if dataclasses.is_dataclass(arg):
            return arg
        if typing.get_origin(arg) in (list, tuple, set, frozenset, types.UnionType, typing.Union):
            found = _inner(arg)
            if found:
                return found
    return None


def field_mismatches(cls, message_cls, path: str = "") -> list[str]:
    """Differences between the dataclass `cls` and `message_cls`, nested ones included."""
    path = path or cls.__name__
    ours = {f.name for f in dataclasses.fields(cls)} - SKIP
    theirs = {f.name for f in message_cls.DESCRIPTOR.fields}
    problems = [f"{path}.{n}: only in the dataclass" for n in sorted(ours - theirs)]
    problems += [f"{path}.{n}: only in {message_cls.DESCRIPTOR.full_name}" for n in sorted(theirs - ours)]
    hints = typing.get_type_hints(cls)
    for field in message_cls.DESCRIPTOR.fields:
        nested = _inner(hints.get(field.name))
        if field.name in ours and field.type == FieldDescriptor.TYPE_MESSAGE and nested is not None:
            problems += field_mismatches(nested, field.message_type._concrete_class, f"{path}.{field.name}")
    return problems
