"""Starts what the rendered chart runs, as separate processes from the image-only venv."""

import asyncio
import os
import re
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import grpc
from grpc_health.v1 import health_pb2, health_pb2_grpc

from services import devinfra
from services.gateway.settings import GatewaySettings
from tests.deployed import chart
from tests.deployed.image import ROOT, image_python

DOMAINS = ("registry", "procurement", "incubation", "gateway")
ORDER = ["registry", "procurement", "incubation", "registry-worker", "procurement-worker", "incubation-worker",
         "gateway-delivery", "gateway"]
FAST = [{"name": "NOTICE_DAYS", "value": "0"}, {"name": "NOTICE_CHECK_SECONDS", "value": "0.5"}]
RETRY = {"name": "OUTBOX_POLL_SECONDS", "value": "0.2"}


def values(kafka: str, fast: bool = True, gateway_env: dict | None = None) -> dict:
    """The operator's values for this machine: the embedded broker, one Mongo server per
    service (serialised writes), a loopback webhook receiver allowed; `fast`: a notice period of
    0 days checked every 0.5 s and the outbox polled every 0.2 s (the chart's defaults otherwise);
    `gateway_env`: extra environment of the gateway API (the operator's `gateway.api.extraEnv`)."""
    tuned = {"registry": {"api": {"extraEnv": [*FAST, RETRY]}, "worker": {"extraEnv": FAST}},
             "procurement": {"api": {"extraEnv": [RETRY]}}, "incubation": {"api": {"extraEnv": [RETRY]}}}
    return (tuned if fast else {}) | {
        "kafka": {"bootstrapServers": kafka, "securityProtocol": "PLAINTEXT", "enableIdempotence": False,
                  "topics": {"partitions": 4, "replicationFactor": 1}},
        "mongo": {"serializeWrites": True},
        "gateway": {"webhooks": {"allowPrivateNetworks": True},
                    "api": {"extraEnv": [{"name": k, "value": v} for k, v in (gateway_env or {}).items()]},
                    "auth": {"jwtKeyId": GatewaySettings().jwt_key_id}}}  # the tests' signing key


def _http_ok(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return 200 <= r.status < 400
    except OSError:
        return False


class Deployed:
    def __init__(self, registry_replicas: int = 1, fast: bool = True, gateway_env: dict | None = None):
        self.replicas, self.fast, self.gateway_env = registry_replicas, fast, gateway_env
        self.work = Path(tempfile.mkdtemp(prefix="bth-deployed-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.env: dict[str, dict] = {}
        self.ports: dict[str, dict[str, int]] = {}
        self.infra: list[subprocess.Popen] = []
        self.mongo_uris: dict[str, str] = {}

    # ------------------------------------------------------------------ start / stop
    def start(self) -> None:
        self.python = image_python()
        kafka_port = devinfra.free_port()
        self.infra.append(devinfra.start_kafka(kafka_port))
        mongo = {d: devinfra.free_port() for d in DOMAINS}
        self.infra += [devinfra.start_mongo(port) for port in mongo.values()]
        self.mongo_uris = uri = {d: f"mongodb://127.0.0.1:{p}/?directConnection=true" for d, p in mongo.items()}
        secrets = {("bth-mongo", f"{d}-uri"): uri[d] for d in DOMAINS} | {
            ("bth-mongo", "admin-uri"): uri["gateway"],
            ("bth-gateway", "jwt-private-key"): os.environ.get("JWT_PRIVATE_KEY") or GatewaySettings().jwt_private_key,
            ("bth-gateway", "bootstrap-operator-password"): "deployed-test-operator-pw",
            ("bth-internal", "auth-key"): os.environ["INTERNAL_AUTH_KEY"]}
        rendered = chart.render(values(f"127.0.0.1:{kafka_port}", self.fast, self.gateway_env))
        self.containers = chart.containers(rendered, secrets)
        names = [*ORDER[:1], *(f"registry-{i}" for i in range(2, self.replicas + 1)), *ORDER[1:]]
        for name in names:
            self.ports[name] = {port: devinfra.free_port() for port in self.containers[self._component(name)].ports}
        targets = {d: "ipv4:" + ",".join(f"127.0.0.1:{p['grpc']}" for n, p in self.ports.items()
                                         if n == d or n.startswith(f"{d}-") and "grpc" in p)
                   for d in ("registry", "procurement", "incubation")}
        self.admin_init = self._run_once("admin-init", targets)
        for name in names:
            self.env[name] = self._env(name, targets)
            self._spawn(name)
        for name in names:
            self.wait_started(name)

    def wait_started(self, name: str, timeout: float = 180) -> None:  # the chart allows 5 s x 36
        """Poll the startup probe as the kubelet would, until it passes (or the process dies)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                raise RuntimeError(f"{name} exited with {self.processes[name].returncode}:\n{self.log(name)}")
            if asyncio.run(self.probe(name, "startup"))[0]:
                return
            time.sleep(0.2)
        raise TimeoutError(f"{name} did not pass its startup probe in {timeout}s:\n{self.log(name)}")

    def stop(self) -> None:
        for name in reversed(list(self.processes)):  # gateway first, infrastructure last
            devinfra.stop(self.processes[name])
        for proc in reversed(self.infra):
            devinfra.stop(proc)

    def kill(self, name: str) -> None:
        self.processes[name].kill()
        self.processes[name].wait(10)

    def restart(self, name: str) -> None:
        self._spawn(name)
        self.wait_started(name)

    # ------------------------------------------------------------------ processes
    @staticmethod
    def _component(name: str) -> str:
        return re.sub(r"-\d+$", "", name)

    def _base_env(self) -> dict:
        return {"PATH": f"{self.python.parent}:/usr/bin:/bin", "PYTHONPATH": f"{ROOT}:{ROOT / 'gen'}",
                "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1", "HOME": str(self.work)}

    def _env(self, name: str, targets: dict) -> dict:
        env = dict(self.containers[self._component(name)].env)
        ports = self.ports.get(name, {})
        for key in ("GRPC_PORT", "HTTP_PORT", "METRICS_PORT"):
            if key in env and key.split("_")[0].lower() in ports:
                env[key] = str(ports[key.split("_")[0].lower()])
        for key in ("GRPC_HOST", "HTTP_HOST"):
            if key in env:
                env[key] = "127.0.0.1"
        env |= {f"{d.upper()}_ADDR": target for d, target in targets.items()}
        if "FAUST_DATADIR" in env:
            env["FAUST_DATADIR"] = str(self.work / f"faust-{name}")
        return self._base_env() | env

    def _command(self, name: str) -> list[str]:
        command = self.containers[self._component(name)].command
        return [str(self.python), *command[1:]]

    def _spawn(self, name: str) -> None:
        log = open(self.work / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(self._command(name), env=self.env[name], cwd=self.work,
                                                stdout=log, stderr=subprocess.STDOUT)

    def _run_once(self, name: str, targets: dict) -> subprocess.CompletedProcess:
        with open(self.work / f"{name}.log", "wb") as log:
            return subprocess.run(self._command(name), env=self._env(name, targets), cwd=self.work,
                                  stdout=log, stderr=subprocess.STDOUT, timeout=120)

    def log(self, name: str) -> str:
        path = self.work / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    # ------------------------------------------------------------------ observations
    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']['http']}"

    async def probe(self, name: str, kind: str) -> tuple[bool, str, str]:
        """Run the probe the chart declares for `name` (grpc or httpGet) once."""
        spec = self.containers[self._component(name)].probes[kind]
        timeout = spec.get("timeoutSeconds", 3)
        if "grpc" in spec:
            async with grpc.aio.insecure_channel(f"127.0.0.1:{self.ports[name]['grpc']}") as channel:
                try:
                    reply = await health_pb2_grpc.HealthStub(channel).Check(
                        health_pb2.HealthCheckRequest(service=spec["grpc"].get("service", "")), timeout=timeout)
                except grpc.aio.AioRpcError:
                    return False, name, kind
                return reply.status == health_pb2.HealthCheckResponse.SERVING, name, kind
        get = spec["httpGet"]
        port = get["port"] if isinstance(get["port"], int) else self.ports[name][get["port"]]
        return await asyncio.to_thread(_http_ok, f"http://127.0.0.1:{port}{get['path']}", timeout), name, kind

    def metrics_text(self, name: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.ports[name]['metrics']}/metrics", timeout=5) as r:
            return r.read().decode()

    def grpc_calls(self, name: str, method: str) -> int:
        """How many calls of `method` the process has served (its /metrics)."""
        text = self.metrics_text(name)
        pattern = rf'^bth_grpc_server_seconds_count{{[^}}]*method="[^"]*/{method}"[^}}]*}} (\S+)$'
        return int(sum(float(v) for v in re.findall(pattern, text, re.M)))
