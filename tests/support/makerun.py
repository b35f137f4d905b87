"""A real `make run` (`python -m services.devrun`), started as a person starts it, in a
temporary DEV_DATA_DIR on free ports; stopped with Ctrl-C (SIGINT) as a person stops it."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from services import devinfra, devports

ROOT = Path(__file__).resolve().parents[2]
READY = "e.g. curl -s -d grant_type=password"   # the last line devrun prints once it is up


@dataclass
class Instance:
    data: Path
    ports: dict[str, int]     # devports name → port
    proc: subprocess.Popen
    log: Path
    since: int = 0            # where this run's output starts in the log (a restart appends to it)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['http']}"

    def output(self) -> str:
        """What this run printed."""
        with open(self.log, "rb") as log:
            log.seek(self.since)
            return log.read().decode(errors="replace")


def start(data: Path, env: dict | None = None, timeout: float = 180) -> Instance:
    ports = {name: devinfra.free_port() for name in devports.PORTS}
    variables = {var: str(ports[name]) for name, (var, _) in devports.PORTS.items()}
    log = data.with_name(data.name + "-make-run.log")
    data.mkdir(parents=True, exist_ok=True)
    person = {k: v for k, v in os.environ.items() if k != "INTERNAL_AUTH_KEY"}   # the tests' own key
    since = log.stat().st_size if log.exists() else 0
    proc = subprocess.Popen([sys.executable, "-m", "services.devrun"], cwd=ROOT, start_new_session=True,
                            env=person | variables | {"DEV_DATA_DIR": str(data)} | (env or {}),
                            stdout=open(log, "ab"), stderr=subprocess.STDOUT)
    instance = Instance(data, ports, proc, log, since)
    deadline = time.monotonic() + timeout
    while READY not in instance.output():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(instance)
            raise RuntimeError(f"make run did not come up:\n{instance.output()[-3000:]}")
        time.sleep(0.2)
    return instance


def stop(instance: Instance) -> None:
    if instance.proc.poll() is None:
        instance.proc.send_signal(signal.SIGINT)       # Ctrl-C: devrun stops its children in order
        try:
            instance.proc.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(instance.proc.pid, signal.SIGKILL)
            instance.proc.wait()


@contextlib.contextmanager
def running(data: Path, env: dict | None = None):
    instance = start(data, env)
    try:
        yield instance
    finally:
        stop(instance)
