"""Plain values of domain objects (pure: no protobuf, no I/O, usable from domain/)."""

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal
from enum import Enum


def rfc3339(moment: datetime) -> str:
    """A UTC instant as RFC 3339 text ending in `Z` (a naive datetime is taken as UTC)."""
    moment = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.isoformat().replace("+00:00", "Z")


def to_plain(value, keep_datetimes: bool = False):
    """Dataclasses, enums and decimals as JSON-able values (proto JSON mapping); datetimes
    as RFC 3339 strings, or kept as they are for MongoDB documents."""
    if dataclasses.is_dataclass(value):
        return {f.name: to_plain(getattr(value, f.name), keep_datetimes) for f in dataclasses.fields(value)
                if f.name != "events" and getattr(value, f.name) is not None}
    if isinstance(value, datetime):
        return value if keep_datetimes else rfc3339(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: to_plain(v, keep_datetimes) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [to_plain(v, keep_datetimes) for v in value]
        return sorted(items) if isinstance(value, (set, frozenset)) else items
    return value
