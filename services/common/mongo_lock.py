"""One write lock per Mongo client: with it, a process runs one transaction (or outbox
write) at a time. The embedded MongoDB-wire server fails concurrent transactions; on a real
replica set, MONGO_SERIALIZE_WRITES=false turns the lock into a no-op."""

import asyncio

_LOCKS: dict[str, object] = {}   # by server URI: every client of this process shares it
_BY_CLIENT: dict[int, object] = {}


class _NoLock:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


def register(client, uri: str, serialize_writes: bool) -> None:
    _BY_CLIENT[id(client)] = _LOCKS.setdefault(uri, asyncio.Lock()) if serialize_writes else _NoLock()


def write_lock(client):
    return _BY_CLIENT.setdefault(id(client), asyncio.Lock())
