"""`make run`: the whole platform on the embedded infrastructure. Starts the Tansu broker,
one mongoeco server per service (state under ./.data/), every service (API and stream
worker in one process each) and the gateway; seeds demo accounts; Ctrl-C stops all.

Ports: DEV_KAFKA_PORT (9092), DEV_MONGO_PORT (27017: gateway; +1 registry, +2 procurement,
+3 incubation), HTTP_PORT (8000)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from services import devinfra

PROCESSES = [  # (name, command, extra environment)
    ("registry", ["-m", "services.devrun", "service", "registry"], {"GRPC_PORT": "50051", "METRICS_PORT": "9101"}),
    ("procurement", ["-m", "services.devrun", "service", "procurement"],
     {"GRPC_PORT": "50052", "METRICS_PORT": "9102"}),
    ("incubation", ["-m", "services.devrun", "service", "incubation"],
     {"GRPC_PORT": "50053", "METRICS_PORT": "9103"}),
    ("gateway", ["-m", "services.gateway"], {"METRICS_PORT": "9100"}),
]
MONGO_OFFSET = {"gateway": 0, "registry": 1, "procurement": 2, "incubation": 3}


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


async def _seed(uri: str) -> list[str]:
    from services.common import mongo
    from services.gateway.seed import seed_demo
    from services.gateway.settings import GatewaySettings

    client = mongo.connect(uri)
    try:
        return await seed_demo(client["gateway"], GatewaySettings())
    finally:
        await client.close()


def main() -> None:
    if sys.argv[1:2] == ["service"]:
        import asyncio

        asyncio.run(_service(sys.argv[2]))
        return
    data = Path(".data")
    (data / "logs").mkdir(parents=True, exist_ok=True)
    kafka_port = int(os.environ.get("DEV_KAFKA_PORT", "9092"))
    mongo_port = int(os.environ.get("DEV_MONGO_PORT", "27017"))
    http_port = os.environ.get("HTTP_PORT", "8000")
    for name, port in (("Kafka", kafka_port), *((f"MongoDB {n}", mongo_port + o) for n, o in MONGO_OFFSET.items()),
                       ("HTTP", int(http_port))):
        import socket
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                sys.exit(f"port {port} for {name} is taken: stop what uses it, or set DEV_*_PORT / HTTP_PORT")
    children: list[tuple[str, subprocess.Popen]] = []
    try:
        children.append(("kafka", devinfra.start_kafka(kafka_port, open(data / "logs/kafka.log", "ab"))))
        uris = {}
        for name, offset in MONGO_OFFSET.items():
            port = mongo_port + offset
            children.append((f"mongo-{name}", devinfra.start_mongo(port, str(data / f"{name}.sqlite"),
                                                                   open(data / f"logs/mongo-{name}.log", "ab"))))
            uris[name] = f"mongodb://127.0.0.1:{port}/?directConnection=true"
        env = os.environ | {"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{kafka_port}", "HTTP_PORT": http_port,
                            "KAFKA_SESSION_TIMEOUT_SECONDS": "4", "KAFKA_HEARTBEAT_SECONDS": "1"}
        for name, command, extra in PROCESSES:
            log = open(data / f"logs/{name}.log", "ab")
            proc = subprocess.Popen([sys.executable, *command], env=env | extra | {"MONGO_URI": uris[name]},
                                    stdout=log, stderr=log)
            children.append((name, proc))
        devinfra.wait_for_port(int(http_port), timeout=60, proc=children[-1][1])
        for port in (50051, 50052, 50053):
            devinfra.wait_for_port(port, timeout=60)
        print(f"""
BTH platform is up (embedded infrastructure; logs in .data/logs/):
  gateway      http://127.0.0.1:{http_port}   (OpenAPI: /docs, health: /healthz /readyz)
  registry     grpc 127.0.0.1:50051   metrics :9101
  procurement  grpc 127.0.0.1:50052   metrics :9102
  incubation   grpc 127.0.0.1:50053   metrics :9103
  kafka        127.0.0.1:{kafka_port} (Tansu, in memory)
  mongodb      127.0.0.1:{mongo_port}-{mongo_port + 3} (mongoeco on .data/<service>.sqlite)
Ctrl-C stops everything.""", flush=True)
        import asyncio

        for line in asyncio.run(_seed(uris["gateway"])):
            print(line, flush=True)
        _watch(children)
    except KeyboardInterrupt:
        pass
    finally:
        for _name, proc in reversed(children):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _name, proc in reversed(children):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        print("stopped.")


def _watch(children) -> bool:
    """Block until Ctrl-C, or until a child dies (then say which and stop the rest)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    while True:
        if signal.sigtimedwait({signal.SIGINT, signal.SIGTERM}, 1) is not None:
            return False
        for name, proc in children:
            if proc.poll() is not None:
                print(f"{name} exited with {proc.returncode}; see .data/logs/{name}.log", file=sys.stderr)
                return False


if __name__ == "__main__":
    main()
