"""The embedded MongoDB-wire server of `make run` and the tests (mongoeco on SQLite), with the
answers about a collection's shape kept across writes (devmongo_features.py), no change-stream
delivery, and a transaction older than the lifetime limit aborted, like a replica set's
transactionLifetimeLimitSeconds (mongoeco keeps it for ever: every other client fails).

Change streams: after every write outside a transaction (and every commit), mongoeco's SQLite
engine hands the write's change record to the server's change-stream hub: it takes a lease on
its change outbox (a SQLite commit), starts a heartbeat thread, checkpoints each change (a commit),
releases the lease (a commit) and compacts the outbox (a commit). That was 72 % of an update's
time in the server (py-spy, 2026-12-07). The platform opens no change streams (its events leave
through its own outbox and Kafka), so this engine declares none: no consumer is registered,
nothing is dispatched, and no registration is renewed in the background (the renewal inside a
killed client's transaction used to fail with `database is locked` and lock the server out).
`watch()` on this server fails; on a replica set it works as MongoDB's.
Both use private API of mongoeco (4.11): the session store and the engine's capabilities."""

import asyncio
import dataclasses
import time

import mongoeco.wire

from services.devmongo_features import KeptAnswersEngine


class SQLiteEngine(KeptAnswersEngine):
    capabilities = dataclasses.replace(KeptAnswersEngine.capabilities, change_delivery="none")


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
