"""The embedded MongoDB-wire server of `make run` and the tests (mongoeco on SQLite), with the
answers about a collection's shape kept across writes (devmongo_features.py) and two
repairs for a client that dies inside a transaction (mongoeco's own behaviour in brackets):

- a transaction older than the lifetime limit is aborted, like a replica set's
  transactionLifetimeLimitSeconds (kept for ever: every other client fails);
- a busy database does not stop the renewal of the server's change-stream consumer
  registrations. mongoeco renews them every 60 s on a SQLite connection of its own; the dead
  transaction holds SQLite's write lock for its whole lifetime, longer than the 5 s busy
  timeout, so the renewal failed with `database is locked`, its thread ended, and every later
  command that builds a collection object (listDatabases, so every start-up ping, among them)
  was answered that error until the server restarted. Here the renewal is retried at the next
  heartbeat (the registrations live an hour; a late renewal is harmless).
Both use private API of mongoeco (4.11): the session store and the engine's heartbeat method."""

import asyncio
import sqlite3
import threading
import time

import mongoeco.wire

from services.devmongo_features import KeptAnswersEngine


def _busy(error: BaseException) -> bool:
    code = getattr(error, "sqlite_errorcode", 0) & 0xFF
    return isinstance(error, sqlite3.OperationalError) and code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class _Attempt:
    """One run of mongoeco's heartbeat loop: shares the stop event, keeps its own error."""

    def __init__(self, stop: threading.Event):
        self.stop, self.error = stop, None

    def fail(self, error: BaseException) -> None:
        self.error = self.error or error


class SQLiteEngine(KeptAnswersEngine):
    def _maintain_ephemeral_registrations(self, state) -> None:
        while True:
            attempt = _Attempt(state.stop)
            super()._maintain_ephemeral_registrations(attempt)
            if attempt.error is None:
                return
            if state.stop.is_set() or not _busy(attempt.error):
                state.fail(attempt.error)
                return
            print(f"change-stream registration renewal failed ({attempt.error}: a transaction holds the "
                  "write lock); retried at the next heartbeat", flush=True)


async def _reap_transactions(server, lifetime: float) -> None:
    """Abort transactions older than `lifetime`."""
    seen: dict[tuple[str, int], float] = {}
    while True:
        await asyncio.sleep(min(1.0, lifetime / 4))
        now, alive = time.monotonic(), set()
        for key, context in list(server._session_store._sessions.items()):
            session = context.session
            if not session.transaction_active:
                continue
            txn = (key, session.transaction_number)
            alive.add(txn)
            if now - seen.setdefault(txn, now) > lifetime:
                session.abort_transaction()
                print(f"aborted a transaction open for more than {lifetime:g}s (its client died?)", flush=True)
        seen = {t: since for t, since in seen.items() if t in alive}


async def serve(port: int, path: str | None, transaction_lifetime: float) -> None:
    kwargs = {"engine": SQLiteEngine(path)} if path else {}
    server = mongoeco.wire.AsyncMongoEcoProxyServer(port=port, host="127.0.0.1", **kwargs)
    await server.start()
    reaper = asyncio.create_task(_reap_transactions(server, transaction_lifetime))
    try:
        await asyncio.Event().wait()
    finally:
        reaper.cancel()
        await server.close()
