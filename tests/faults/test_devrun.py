"""Issue 15 items 10 and 11: `make run` takes its ports from DEV_* variables or picks free
ones (and says which), never overrides the environment; a second gRPC server on a used port
fails loudly; two instances run side by side and each stops in dependency order (gateway,
services, infrastructure) without a traceback."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from services import devinfra, devports
from services.common import grpc_server


def test_ports_come_from_dev_variables_or_the_usual_ones_or_free_ones():
    taken = {8000, 50051}
    picks = iter([41000, 41001])
    chosen = devports.choose({"DEV_KAFKA_PORT": "19092", "DEV_MONGO_PORT": "37017"},
                             free=lambda p: p not in taken, pick=lambda: next(picks))
    assert chosen["kafka"] == (19092, "DEV_KAFKA_PORT")
    assert [chosen[f"mongo-{s}"][0] for s in ("gateway", "registry", "procurement", "incubation")] == [
        37017, 37018, 37019, 37020]
    assert chosen["http"] == (41000, "free (usual 8000 taken)")
    assert chosen["grpc-registry"] == (41001, "free (usual 50051 taken)")
    assert chosen["grpc-procurement"] == (50052, "usual") and chosen["metrics-gateway"] == (9100, "usual")


def test_a_taken_or_bad_dev_port_stops_with_one_line_naming_the_variable():
    with pytest.raises(SystemExit, match=r"port 8000 \(DEV_HTTP_PORT, for http\) is taken"):
        devports.choose({"DEV_HTTP_PORT": "8000"}, free=lambda p: p != 8000)
    with pytest.raises(SystemExit, match="DEV_KAFKA_PORT: not a port"):
        devports.choose({"DEV_KAFKA_PORT": "kafka"}, free=lambda p: True)


async def test_a_second_grpc_server_on_a_used_port_fails_to_bind():
    port = devinfra.free_port()
    first, _ = await grpc_server.start("127.0.0.1", port, [], [])
    try:
        with pytest.raises(RuntimeError):
            await grpc_server.start("127.0.0.1", port, [], [])
    finally:
        await first.stop(None)


def _start(tmp_path: Path, name: str, env: dict) -> tuple[subprocess.Popen, Path]:
    out = tmp_path / f"{name}.out"
    proc = subprocess.Popen([sys.executable, "-m", "services.devrun"], env=os.environ | env,
                            stdout=out.open("wb"), stderr=subprocess.STDOUT, cwd=Path(__file__).parents[2])
    return proc, out


def _wait_for(out: Path, text: str, proc: subprocess.Popen, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in (body := out.read_text()):
            return body
        assert proc.poll() is None, body
        time.sleep(0.5)
    raise AssertionError(f"{text!r} not printed within {seconds}s:\n{out.read_text()}")


@pytest.mark.faults
def test_two_make_run_instances_side_by_side_each_stopping_in_order(tmp_path):
    ports = iter(sorted({devinfra.free_port() for _ in range(60)}))   # distinct, so the two cannot collide
    explicit = {n: {var: str(next(ports)) for var, _ in devports.PORTS.values()} for n in ("a", "b")}
    runs = {n: _start(tmp_path, n, {"DEV_DATA_DIR": str(tmp_path / n), "DEV_DEMO_DATA": "off"} | explicit[n])
            for n in ("a", "b")}   # the demo data (tests/platform/test_living_demo.py) is beside the point
    try:
        outputs = {n: _wait_for(out, "Ctrl-C stops everything", proc, 300) for n, (proc, out) in runs.items()}
        for n, out in outputs.items():
            assert f"http://127.0.0.1:{explicit[n]['DEV_HTTP_PORT']}" in out
            assert f"grpc 127.0.0.1:{explicit[n]['DEV_REGISTRY_GRPC_PORT']}" in out
            assert "IN MEMORY: a restart loses events and offsets; outboxes replay" in out
        for port in (int(explicit[n]["DEV_HTTP_PORT"]) for n in runs):
            deadline = time.monotonic() + 90
            while (ready := httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)).status_code != 200:
                assert time.monotonic() < deadline, ready.text
                time.sleep(0.5)
            assert ready.json()["services"] == {s: "SERVING" for s in ("registry", "procurement", "incubation")}
    finally:
        for proc, _ in runs.values():
            proc.send_signal(signal.SIGINT)   # what Ctrl-C sends (children run in their own sessions)
        codes = {n: proc.wait(120) for n, (proc, _) in runs.items()}
    for name, (_proc, out) in runs.items():
        body = out.read_text()
        order = [body.index(line) for line in ("stopping gateway\n", "stopping registry, procurement, incubation\n",
                                               "stopping kafka, mongo-gateway", "stopped.\n")]
        assert order == sorted(order) and codes[name] == 0, body
        assert "did not stop" not in body and "Traceback" not in body, body
        for log in (tmp_path / name / "logs").iterdir():
            assert "Traceback" not in log.read_text(errors="replace"), log
