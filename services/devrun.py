"""`make run`: the whole platform on the embedded infrastructure. Starts the Tansu broker,
the mongoeco server (state under ./.data/), every service and the gateway; Ctrl-C stops all.

Ports: DEV_KAFKA_PORT (9092), DEV_MONGO_PORT (27017), HTTP_PORT (8000)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from services import devinfra

PROCESSES = [  # (name, module, extra environment)
    ("registry", "services.registry", {"GRPC_PORT": "50051", "METRICS_PORT": "9101"}),
    ("procurement", "services.procurement", {"GRPC_PORT": "50052", "METRICS_PORT": "9102"}),
    ("incubation", "services.incubation", {"GRPC_PORT": "50053", "METRICS_PORT": "9103"}),
    ("gateway", "services.gateway", {"METRICS_PORT": "9100"}),
]


def main() -> None:
    data = Path(".data")
    (data / "logs").mkdir(parents=True, exist_ok=True)
    kafka_port = int(os.environ.get("DEV_KAFKA_PORT", "9092"))
    mongo_port = int(os.environ.get("DEV_MONGO_PORT", "27017"))
    http_port = os.environ.get("HTTP_PORT", "8000")
    for name, port in (("Kafka", kafka_port), ("MongoDB", mongo_port), ("HTTP", int(http_port))):
        import socket
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                sys.exit(f"port {port} for {name} is taken: stop what uses it, or set DEV_*_PORT / HTTP_PORT")
    children: list[tuple[str, subprocess.Popen]] = []
    try:
        children.append(("kafka", devinfra.start_kafka(kafka_port, open(data / "logs/kafka.log", "ab"))))
        children.append(("mongo", devinfra.start_mongo(mongo_port, str(data / "mongo.sqlite"),
                                                       open(data / "logs/mongo.log", "ab"))))
        env = os.environ | {"KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{kafka_port}",
                            "MONGO_URI": f"mongodb://127.0.0.1:{mongo_port}/?directConnection=true",
                            "HTTP_PORT": http_port}
        for name, module, extra in PROCESSES:
            log = open(data / f"logs/{name}.log", "ab")
            proc = subprocess.Popen([sys.executable, "-m", module], env=env | extra, stdout=log, stderr=log)
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
  mongodb      127.0.0.1:{mongo_port} (mongoeco on .data/mongo.sqlite)
Ctrl-C stops everything.""", flush=True)
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
