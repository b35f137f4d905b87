"""The probe and metrics listener of every process: `/metrics`, `/healthz` and `/readyz` on
the metrics port, served from a daemon thread so it answers while the event loop is busy,
and so it can tell that the loop is stuck.

The loop proves it is alive by beating a `Heartbeat` (a task in the process's TaskGroup);
`/healthz` answers 503 once the last beat is older than `max_age` (Kubernetes then restarts
the pod). `/readyz` answers 200 once the process said it is ready, while it is alive and while every
registered check (e.g. the delivery process's feed ingestion) says ready."""

import asyncio
import json
import threading
import time
from wsgiref.simple_server import make_server

from prometheus_client import REGISTRY, Gauge, make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer, _SilentHandler

HEARTBEAT_AGE = Gauge("bth_worker_heartbeat_age_seconds", "Seconds since the event loop last beat")


class Heartbeat:
    def __init__(self, max_age: float = 30.0, interval: float = 1.0):
        self.max_age, self.interval = max_age, interval
        self.last = time.monotonic()
        self.ready = threading.Event()
        self.checks: dict = {}   # name -> () -> {"ready": bool, ...}: more conditions of /readyz
        HEARTBEAT_AGE.set_function(self.age)

    def beat(self) -> None:
        self.last = time.monotonic()

    def age(self) -> float:
        return time.monotonic() - self.last

    def alive(self) -> bool:
        return self.age() <= self.max_age

    async def run(self) -> None:
        """Beat forever from the event loop (a stuck loop stops beating)."""
        while True:
            self.beat()
            await asyncio.sleep(self.interval)


def _answer(start_response, ok: bool, body: dict) -> list[bytes]:
    start_response("200 OK" if ok else "503 Service Unavailable", [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def wsgi_app(heartbeat: Heartbeat):
    metrics = make_wsgi_app(REGISTRY)

    def app(environ, start_response):
        path = environ.get("PATH_INFO", "")
        age = round(heartbeat.age(), 3)
        if path == "/healthz":
            alive = heartbeat.alive()
            return _answer(start_response, alive, {"status": "alive" if alive else "stuck", "heartbeat_age": age})
        if path == "/readyz":
            checks = {name: check() for name, check in heartbeat.checks.items()}
            ready = heartbeat.ready.is_set() and heartbeat.alive() and all(c.get("ready") for c in checks.values())
            return _answer(start_response, ready, {"status": "ready" if ready else "not-ready", "heartbeat_age": age,
                                                   **checks})
        return metrics(environ, start_response)
    return app


def serve(port: int, heartbeat: Heartbeat, host: str = "0.0.0.0"):
    """Start the listener on `port` in a daemon thread (0: none); returns the server or None."""
    if not port:
        return None
    server = make_server(host, port, wsgi_app(heartbeat), ThreadingWSGIServer, handler_class=_SilentHandler)
    threading.Thread(target=server.serve_forever, name="probes", daemon=True).start()
    return server
