"""The probe listener every process serves: /readyz follows the process's own readiness and
every registered check (the delivery process registers its feed ingestion's status)."""

import json
import urllib.error
import urllib.request

from services import devinfra
from services.common import probes


def get(port: int, path: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_readyz_follows_readiness_and_every_check():
    port = devinfra.free_port()
    heartbeat = probes.Heartbeat(max_age=60)
    server = probes.serve(port, heartbeat, host="127.0.0.1")
    feed = {"ready": False, "reason": "broker unreachable"}
    heartbeat.checks["feed"] = lambda: dict(feed)
    try:
        assert get(port, "/readyz")[0] == 503                       # not started yet
        heartbeat.ready.set()
        status, body = get(port, "/readyz")
        assert (status, body["status"], body["feed"]) == (503, "not-ready", feed)
        feed.update(ready=True, reason="")
        status, body = get(port, "/readyz")
        assert (status, body["status"], body["feed"]) == (200, "ready", {"ready": True, "reason": ""})
        assert get(port, "/healthz")[0] == 200
    finally:
        server.shutdown()
        server.server_close()
