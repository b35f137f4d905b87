"""MongoDB through PyMongo's async API, and the unit of work: one transaction holds the
state change and the outbox records of the events it caused. A unit of work has a time
limit (TRANSACTION_LIFETIME_SECONDS, client side and as maxCommitTimeMS); start-up waits,
bounded, for a server that refuses operations (see ping)."""

import asyncio
import contextlib
import random

import pymongo
from pymongo import AsyncMongoClient
from pymongo.errors import ConnectionFailure, PyMongoError

from services.common import logs
from services.common.aggregate import Aggregate
from services.common.mongo_lock import register, write_lock
from services.common.outbox import Outbox


def connect(uri: str, serialize_writes: bool = True) -> AsyncMongoClient:
    """A client; it connects lazily (nothing connects at import or construction)."""
    client = AsyncMongoClient(uri, tz_aware=True, serverSelectionTimeoutMS=3000, uuidRepresentation="standard")
    register(client, uri, serialize_writes)
    return client


STARTUP_WAIT_SECONDS = 90.0    # longer than a replica set's 60 s transaction lifetime limit
TRANSACTION_LIFETIME_SECONDS = 30.0   # client side: a unit of work that runs longer is aborted


async def ping(client: AsyncMongoClient, uri: str, wait_seconds: float = STARTUP_WAIT_SECONDS) -> None:
    """At start-up: the server answers, and serves reads. A server that refuses operations (the
    open transaction of a killed process holds the embedded one; a replica set electing a
    primary) is retried with one log line per attempt for up to `wait_seconds`."""
    loop = asyncio.get_running_loop()
    deadline, attempt = loop.time() + wait_seconds, 0
    while True:
        try:
            await client.admin.command("ping")
            await client.list_database_names()  # fails while another session's transaction holds the server
            return
        except ConnectionFailure as exc:
            raise SystemExit(
                f"MongoDB is not reachable at {uri} ({type(exc).__name__}). "
                "Start the embedded one with `make run`, or set MONGO_URI to a replica set."
            ) from None
        except PyMongoError as exc:
            attempt += 1
            if loop.time() >= deadline:
                raise SystemExit(f"MongoDB at {uri} refused operations for {wait_seconds:g}s: {exc}") from None
            logs.get("mongo").warning(
                "mongo.startup_waiting", attempt=attempt, error=str(exc)[:200],
                hint="another client's transaction holds the server (a process killed mid-transaction?); "
                     "the server aborts it after its transaction lifetime limit")
            await asyncio.sleep(min(5.0, 0.5 * attempt))


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
        self._deadline = pymongo.timeout(TRANSACTION_LIFETIME_SECONDS)  # every operation inside: bounded
        self._deadline.__enter__()
        try:
            self.session = self.client.start_session()
            await self.session.__aenter__()
            await self.session.start_transaction(max_commit_time_ms=int(TRANSACTION_LIFETIME_SECONDS * 1000))
        except BaseException as exc:
            self._deadline.__exit__(type(exc), exc, None)
            await self._lock.__aexit__(type(exc), exc, None)
            raise
        self._tracked = []
        return self

    def track(self, aggregate: Aggregate) -> Aggregate:
        self._tracked.append(aggregate)
        return aggregate

    async def commit(self) -> None:
        events = [(agg, ev) for agg in self._tracked for ev in agg.events]
        ids = await self.outbox.add(events, self.package, self.session)
        try:
            await self.session.commit_transaction()
        except PyMongoError as exc:
            # A commit can fail to report that it applied (MongoDB's UnknownTransactionCommitResult;
            # the embedded server has answered "Write conflict" for a commit it had applied): the
            # unit's own outbox record says which. Retrying an applied unit would run it twice.
            if not (ids and await self._applied(ids[0])):
                await self._end_failed_commit()
                raise
            logs.get("mongo").warning("unit_of_work.commit_applied_despite_error", error=str(exc))
        for agg in self._tracked:
            agg.events.clear()
        self.outbox.notify()

    async def _end_failed_commit(self) -> None:
        """Abort, on the server, a transaction whose commit failed. PyMongo counts it as finished
        after any commit attempt and hands its session id to the next unit of work, but the
        embedded server keeps the failed transaction open under that id: the retried unit would
        read the failed unit's writes as if they were stored (an approval refused as "already
        approved") and its own commit would conflict for ever. MongoDB has aborted a conflicted
        one already and refuses the command (no transaction number is sent): ignored here. Should
        the abort fail too (the unit's deadline has passed), the session id is marked dirty so that
        PyMongo discards it instead of pooling it, as it does after a network error."""
        with contextlib.suppress(PyMongoError):
            await self.client.admin.command("abortTransaction", session=self.session)
            return
        server_session = getattr(self.session, "_server_session", None)   # PyMongo's own, no public API
        if server_session is not None:
            server_session.mark_dirty()

    async def _applied(self, event_id: str) -> bool:
        # the embedded server refuses reads while another client's transaction runs: wait for it
        try:
            return await with_retry(lambda: self.outbox.written(event_id), attempts=30)
        except PyMongoError:
            return False

    async def __aexit__(self, exc_type, exc, tb) -> None:
        try:
            if self.session.in_transaction:
                await self.session.abort_transaction()
        finally:
            try:
                await self.session.__aexit__(exc_type, exc, tb)
            finally:
                self.session = None
                self._deadline.__exit__(exc_type, exc, tb)
                await self._lock.__aexit__(exc_type, exc, tb)


TRANSIENT_MESSAGES = ("Write conflict", "active transaction bound to another session", "database is locked")


def is_transient(exc: PyMongoError) -> bool:
    """A transaction that lost a race: retrying the whole unit of work is safe. (Real MongoDB
    labels these TransientTransactionError; the embedded server serialises transactions, and
    on SQLite a write inside one can meet the file's lock held by the server's own connections:
    "database is locked", after which the unit is rolled back like any other lost race.)"""
    return exc.has_error_label("TransientTransactionError") or any(m in str(exc) for m in TRANSIENT_MESSAGES)


async def with_retry(operation, attempts: int = 60):
    """Run `operation()` (a whole unit of work) again when its transaction lost a race."""
    for attempt in range(attempts):
        try:
            return await operation()
        except PyMongoError as exc:
            if not is_transient(exc) or attempt == attempts - 1:
                raise
            if attempt == 0:
                logs.get("mongo").info("unit_of_work.retrying", error=str(exc)[:200])
            await asyncio.sleep(random.uniform(0.002, 0.01) * min(2**attempt, 20))
