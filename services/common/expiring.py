"""A bounded map whose entries expire: what a process keeps of work it may skip next time
(tokens whose signature already checked out, a signed token it may send again). The least
recently used entry goes when the map is full, so nothing a client sends can grow it.
Not thread-safe: its users run on the event loop."""

from collections import OrderedDict
from collections.abc import Hashable


class ExpiringCache:
    def __init__(self, max_entries: int = 4096):
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, tuple[float, object]] = OrderedDict()

    def get(self, key: Hashable, now: float) -> object | None:
        """The value stored under `key` while `now` is before its end, else None."""
        hit = self._entries.get(key)
        if hit is None:
            return None
        if hit[0] <= now:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return hit[1]

    def put(self, key: Hashable, value: object, until: float) -> None:
        self._entries[key] = (until, value)
        self._entries.move_to_end(key)
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
