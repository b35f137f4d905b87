"""MongoDB through PyMongo's async API, and the unit of work: one transaction holds the
state change and the outbox records of the events it caused."""

import asyncio
import random

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

from services.common.aggregate import Aggregate
from services.common.mongo_lock import register, write_lock
from services.common.outbox import Outbox


def connect(uri: str, serialize_writes: bool = True) -> AsyncMongoClient:
    """A client; it connects lazily (nothing connects at import or construction)."""
    client = AsyncMongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=3000, uuidRepresentation="standard")
    register(client, uri, serialize_writes)
    return client


async def ping(client: AsyncMongoClient, uri: str) -> None:
    try:
        await client.admin.command("ping")
    except PyMongoError as exc:
        raise SystemExit(
            f"MongoDB is not reachable at {uri} ({type(exc).__name__}). "
            "Start the embedded one with `make run`, or set MONGO_URI to a replica set."
        ) from None


class UnitOfWork:
    """`async with uow:` opens a session and transaction; `track()` aggregates; `commit()`
    writes their recorded events to the outbox inside the same transaction."""

    def __init__(self, client: AsyncMongoClient, database: str, outbox: Outbox, package: str):
        self.client, self.database = client, database
        self.db = client[database]
        self.outbox = outbox
        self.package = package
        self.session = None
        self._tracked: list[Aggregate] = []

    async def __aenter__(self) -> "UnitOfWork":
        self._lock = write_lock(self.client)
        await self._lock.__aenter__()
        self.session = self.client.start_session()
        await self.session.__aenter__()
        await self.session.start_transaction()
        self._tracked = []
        return self

    def track(self, aggregate: Aggregate) -> Aggregate:
        self._tracked.append(aggregate)
        return aggregate

    async def commit(self) -> None:
        events = [(agg, ev) for agg in self._tracked for ev in agg.events]
        await self.outbox.add(events, self.package, self.session)
        await self.session.commit_transaction()
        for agg in self._tracked:
            agg.events.clear()
        self.outbox.notify()

    async def __aexit__(self, exc_type, exc, tb) -> None:
        try:
            if self.session.in_transaction:
                await self.session.abort_transaction()
        finally:
            try:
                await self.session.__aexit__(exc_type, exc, tb)
            finally:
                self.session = None
                await self._lock.__aexit__(exc_type, exc, tb)


TRANSIENT_MESSAGES = ("Write conflict", "active transaction bound to another session")


def is_transient(exc: PyMongoError) -> bool:
    """A transaction that lost a race: retrying the whole unit of work is safe. (Real MongoDB
    labels these TransientTransactionError; the embedded server serialises transactions.)"""
    return exc.has_error_label("TransientTransactionError") or any(m in str(exc) for m in TRANSIENT_MESSAGES)


async def with_retry(operation, attempts: int = 60):
    """Run `operation()` (a whole unit of work) again when its transaction lost a race."""
    for attempt in range(attempts):
        try:
            return await operation()
        except PyMongoError as exc:
            if not is_transient(exc) or attempt == attempts - 1:
                raise
            await asyncio.sleep(random.uniform(0.002, 0.01) * min(2**attempt, 20))
