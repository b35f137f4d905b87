"""`make run`: the whole platform on the embedded infrastructure. Starts the Tansu broker,
one mongoeco server per service (state under DEV_DATA_DIR, default ./.data/), every service
(API and stream worker in one process each) and the gateway; seeds demo accounts and, on a
fresh DEV_DATA_DIR, the living demo data (services/demo; DEV_DEMO_DATA=off: none).

Ports come from DEV_* variables or are picked free (devports.py) and are printed, so two
instances run side by side (each with its own DEV_DATA_DIR). Ctrl-C reaches only this
process (children run in their own sessions); it stops them in dependency order: the
gateway first (it drains requests in flight), then the services, the infrastructure last."""

import fcntl
import os
import secrets
import signal
import subprocess
import sys
from pathlib import Path

from services import devinfra, devports

SERVICES = ("registry", "procurement", "incubation")
STAGES = (("kafka", "mongo-gateway", *(f"mongo-{s}" for s in SERVICES)), SERVICES, ("gateway",))  # start order
STOP_SECONDS = 15
# The chart's separate processes (the fault suite runs them apart with split=True; `make run`
# keeps a service's API and worker in one process and delivery inside the gateway).
SPLIT = {"delivery": ("gateway", "services.gateway.delivery"),
         **{f"{s}-worker": (s, f"services.{s}.worker") for s in SERVICES}}


def stages_of(split: bool) -> tuple:
    if not split:
        return STAGES
    return STAGES[0], (*SERVICES, *(f"{s}-worker" for s in SERVICES)), ("gateway", "delivery")

async def _service(name: str) -> None:
    """API and stream worker of one service in one process (development only; production
    runs them as separate Deployments)."""
    import asyncio
    import importlib

    from services.common import logs, service
    from services.common.settings import load

    spec = importlib.import_module(f"services.{name}.spec").SPEC
    settings = load(spec.settings)
    logs.configure(name, settings.log_level, settings.log_format)
    stop = asyncio.Event()
    await asyncio.gather(service.serve_api(spec, settings, None, stop),
                         service.serve_worker(spec, settings, None, stop))


async def _seed(uri: str, demo: bool, fresh: bool, port: int) -> list[str]:
    """Demo accounts, then (unless DEV_DEMO_DATA=off) the living demo data (services/demo)."""
    from services.common import mongo
    from services.demo import seeder
    from services.gateway.seed import seed_demo
    from services.gateway.settings import GatewaySettings

    client = mongo.connect(uri)
    try:
        lines = await seed_demo(client["gateway"], GatewaySettings(http_port=port))
        if demo:
            lines.append(await seeder.seed(f"http://127.0.0.1:{port}", client["gateway"], fresh))
        return lines
    finally:
        await client.close()


def _clock_file(data: Path) -> str:
    return os.environ.get("DEV_CLOCK_FILE", str((data / "clock.json").resolve()))


def main() -> None:
    if sys.argv[1:2] == ["service"]:
        import asyncio

        asyncio.run(_service(sys.argv[2]))
        return
    # Ctrl-C (SIGINT) is how it stops, even when started with SIGINT ignored (a background job
    # of a non-interactive shell inherits SIG_IGN, and an ignored signal is never delivered).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    data = Path(os.environ.get("DEV_DATA_DIR", ".data"))
    (data / "logs").mkdir(parents=True, exist_ok=True)
    lock = open(data / "run.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(f"another `make run` uses {data}/: stop it, or set DEV_DATA_DIR for a second instance")
    choices = devports.choose(dict(os.environ))
    ports = {name: port for name, (port, _) in choices.items()}
    stages: list[list[tuple[str, subprocess.Popen]]] = [[], [], []]  # infrastructure, services, gateway
    from services.demo import seeder  # here: a service process (`devrun service <name>`) never needs it

    demo = seeder.enabled(os.environ) and bool(_clock_file(data))   # the demo walks the dev clock
    fresh = demo and seeder.fresh(data)
    if fresh:   # the demo is created "in the past" and walked forward to today (services/demo/seeder.py)
        seeder.start_in_the_past(_clock_file(data))
    try:
        _start(data, ports, stages)
        _report(data, ports)
        for name, (port, source) in choices.items():
            if source != "usual":
                print(f"  port {port} for {name}: {source}", flush=True)
        import asyncio

        for line in asyncio.run(_seed(_mongo_uri(ports, "gateway"), demo, fresh, ports["http"])):
            print(line, flush=True)
        _watch(data, [c for stage in stages for c in stage])
    except KeyboardInterrupt:
        pass
    finally:
        _stop(stages)


def _mongo_uri(ports: dict, name: str) -> str:
    return f"mongodb://127.0.0.1:{ports[f'mongo-{name}']}/?directConnection=true"


def _start(data: Path, ports: dict, stages: list, extra_env: dict | None = None, split: bool = False) -> None:
    for stage, names in zip(stages, stages_of(split), strict=True):
        for name in names:
            stage.append((name, spawn(name, data, ports, extra_env, split)))
    for name, proc in stages[1]:
        if name in SERVICES:
            devinfra.wait_for_port(ports[f"grpc-{name}"], timeout=90, proc=proc)
    devinfra.wait_for_port(ports["http"], timeout=90, proc=stages[2][0][1])


def spawn(name: str, data: Path, ports: dict, extra_env: dict | None = None, split: bool = False) -> subprocess.Popen:
    """Start one process of the stack (the fault tests also restart one with it); `split`: the
    API, worker and delivery processes apart, as the chart runs them."""
    log = open(data / f"logs/{name}.log", "ab")
    if name == "kafka":   # behind a proxy (the fault suite) it listens on kafka-listen
        return devinfra.start_kafka(ports.get("kafka-listen", ports["kafka"]), log, advertised_port=ports["kafka"])
    if name.startswith("mongo-"):
        return devinfra.start_mongo(ports[name], str(data / f"{name.removeprefix('mongo-')}.sqlite"), log)
    env = os.environ | {"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{ports['kafka']}", "HTTP_PORT": str(ports["http"]),
                        "KAFKA_SESSION_TIMEOUT_SECONDS": "4", "KAFKA_HEARTBEAT_SECONDS": "1",
                        "MONGO_URI": _mongo_uri(ports, SPLIT.get(name, (name,))[0]),
                        "METRICS_PORT": str(ports[f"metrics-{name}"])}
    env |= {f"{s.upper()}_ADDR": f"127.0.0.1:{ports[f'grpc-{s}']}" for s in SERVICES}
    env |= {"GRPC_PORT": str(ports[f"grpc-{name}"])} if name in SERVICES else {}
    env |= {"FAUST_DATADIR": str(data / f"faust-{name}")} if name in SPLIT else {}
    env |= {"DELIVERY_IN_PROCESS": "false"} if split and name == "gateway" else {}
    env |= {"INTERNAL_AUTH_KEY": os.environ.get("INTERNAL_AUTH_KEY") or _internal_key(data)}
    env |= {"JWT_PRIVATE_KEY": os.environ.get("JWT_PRIVATE_KEY") or _token_key(data)} if name == "gateway" else {}
    env |= {"WEBHOOK_ALLOW_PRIVATE_NETWORKS": os.environ.get("WEBHOOK_ALLOW_PRIVATE_NETWORKS", "true")}  # local hooks
    env |= {"DEV_CLOCK_FILE": _clock_file(data)}
    env |= extra_env or {}
    if name in SPLIT:
        command = ["-m", SPLIT[name][1]]
    elif name == "gateway" or split:
        command = ["-m", f"services.{name}"]
    else:
        command = ["-m", "services.devrun", "service", name]
    return subprocess.Popen([sys.executable, *command], env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True, preexec_fn=devinfra._die_with_parent)


def _internal_key(data: Path) -> str:
    """The key every process signs service-to-service identity with (INTERNAL_AUTH_KEY): made
    once per data directory and kept there, so a process restarted alone still shares it."""
    path = data / "internal-auth.key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _token_key(data: Path) -> str:
    """The dev key the gateway signs access tokens with (JWT_PRIVATE_KEY unset): made once per
    data directory and kept there, so tokens stay valid across a restart of the gateway."""
    from services.gateway.keys import generate_pem

    algorithm = os.environ.get("JWT_ALGORITHM", "EdDSA")
    path = data / f"jwt-{algorithm.lower()}-dev-key.pem"
    if not path.exists():
        path.touch(0o600)
        path.write_text(generate_pem(algorithm))
    return path.read_text()


def _report(data: Path, ports: dict) -> None:
    grpc = "\n".join(f"  {s:<12} grpc 127.0.0.1:{ports[f'grpc-{s}']}   metrics :{ports[f'metrics-{s}']}"
                     for s in SERVICES)
    mongo = ", ".join(f"{s} :{ports[f'mongo-{s}']}" for s in ("gateway", *SERVICES))
    print(f"""
BTH platform is up (embedded infrastructure; data and logs in {data}/):
  gateway      http://127.0.0.1:{ports['http']}   (OpenAPI: /docs, health: /healthz /readyz)   metrics \
:{ports['metrics-gateway']}
{grpc}
  kafka        127.0.0.1:{ports['kafka']} (Tansu, IN MEMORY: a restart loses events and offsets; outboxes replay)
  mongodb      {mongo} (mongoeco on {data}/<service>.sqlite)
Ports: set DEV_HTTP_PORT, DEV_KAFKA_PORT, DEV_<SERVICE>_GRPC_PORT, ... to choose (README, "Configuration").
Ctrl-C stops everything (gateway first, infrastructure last).""", flush=True)


def _stop(stages: list) -> None:
    """Gateway, then services, then infrastructure: each stage SIGTERM, wait, then SIGKILL."""
    for stage in reversed(stages):
        running = [(n, p) for n, p in stage if p.poll() is None]
        if running:
            print(f"stopping {', '.join(n for n, _ in running)}", flush=True)
        for _name, proc in running:
            proc.send_signal(signal.SIGTERM)
        for name, proc in running:
            try:
                proc.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop within {STOP_SECONDS}s: killed", file=sys.stderr, flush=True)
                proc.kill()
                proc.wait()
    print("stopped.", flush=True)


def _watch(data: Path, children) -> None:
    """Block until Ctrl-C / SIGTERM, or until a child dies (then say which and stop the rest)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    while True:
        if signal.sigtimedwait({signal.SIGINT, signal.SIGTERM}, 1) is not None:
            return
        for name, proc in children:
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; see {data}/logs/{name}.log", file=sys.stderr)
                return


if __name__ == "__main__":
    main()
