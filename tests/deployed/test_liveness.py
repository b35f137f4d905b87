"""A worker's liveness means its event loop is alive: the incubation worker (the shared
runtime, real broker and Mongo) answers /healthz 200 while its loop beats, 503 while the loop
is stuck in a blocking call, and 200 again once it runs; /readyz follows start and stop."""

import asyncio
import threading
import urllib.error
import urllib.request

from services import devinfra
from services.common import probes, service
from services.common.clock import ManualClock
from services.incubation.spec import SPEC


def status(port: int, path: str) -> int:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


def wait_for(port: int, path: str, code: int, seconds: float = 30) -> int:
    """Poll from this thread (never from the loop under test) until `path` answers `code`."""
    deadline = threading.Event()
    timer = threading.Timer(seconds, deadline.set)
    timer.start()
    try:
        while not deadline.is_set():
            if (seen := status(port, path)) == code:
                return seen
            deadline.wait(0.05)
        return status(port, path)
    finally:
        timer.cancel()


async def test_a_stuck_worker_loop_fails_its_liveness_probe(infra):
    port = devinfra.free_port()
    kafka = {"bootstrap_servers": infra["kafka"], "session_timeout_seconds": 3.0, "heartbeat_seconds": 1.0}
    settings = SPEC.settings(service_name="incubation-liveness", kafka=kafka, heartbeat_max_age_seconds=0.5,
                             mongo={"uri": infra["mongo_by_service"]["incubation"]})
    heartbeat = probes.Heartbeat(settings.heartbeat_max_age_seconds, interval=0.1)
    server = probes.serve(port, heartbeat, host="127.0.0.1")
    stop = asyncio.Event()
    worker = asyncio.create_task(service.serve_worker(SPEC, settings, ManualClock(), stop, heartbeat))
    try:
        assert await asyncio.to_thread(wait_for, port, "/readyz", 200) == 200
        assert await asyncio.to_thread(status, port, "/healthz") == 200

        seen: list[int] = []
        probed = threading.Event()

        def probe_while_stuck() -> None:
            seen.append(wait_for(port, "/healthz", 503, seconds=10))
            probed.set()
        threading.Thread(target=probe_while_stuck, daemon=True).start()
        probed.wait(15)          # the event loop is stuck in a blocking call until the probe failed
        assert seen == [503]
        assert await asyncio.to_thread(wait_for, port, "/healthz", 200) == 200   # beating again
    finally:
        stop.set()
        await asyncio.wait_for(worker, 30)
        assert status(port, "/readyz") == 503     # stopped: out of the Service
        server.shutdown()
        server.server_close()
