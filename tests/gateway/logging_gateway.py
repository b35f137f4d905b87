"""A gateway in a process of its own, as `python -m services.gateway` runs it (settings from
the environment, logs.configure, uvicorn, /metrics on METRICS_PORT), plus one route that
fails with an unexpected exception: test_logs.py reads every line such a process writes,
test_metrics.py its /metrics. `GatewayProcess` starts it in front of the test platform's
services with its own database and feed consumer group (so it disturbs no other test)."""

import asyncio
import os
import signal
import sys
import uuid

from services import devinfra
from services.common import logs
from services.common.settings import load
from services.gateway.app import create_app, serve
from services.gateway.settings import GatewaySettings

BOOM = "/api/v1/test-only/boom"


class GatewayProcess:
    def __init__(self, platform, **env: str):
        self.port, self.metrics_port = devinfra.free_port(), devinfra.free_port()
        grpc = platform.env("gateway")
        self.env = os.environ | {
            "HTTP_PORT": str(self.port), "METRICS_PORT": str(self.metrics_port), "LOG_FORMAT": "json",
            "LOG_LEVEL": "INFO", "SERVICE_NAME": f"gateway-proc-{uuid.uuid4().hex[:6]}",
            "MONGO_URI": grpc["mongo"]["uri"], "KAFKA_BOOTSTRAP_SERVERS": grpc["kafka"]["bootstrap_servers"],
            "KAFKA_SESSION_TIMEOUT_SECONDS": "3", "KAFKA_HEARTBEAT_SECONDS": "1",
            "REGISTRY_ADDR": grpc["registry_addr"], "PROCUREMENT_ADDR": grpc["procurement_addr"],
            "INCUBATION_ADDR": grpc["incubation_addr"], "WEBHOOK_ALLOW_PRIVATE_NETWORKS": "true", **env}
        self.output = b""
        self.url, self.metrics_url = f"http://127.0.0.1:{self.port}", f"http://127.0.0.1:{self.metrics_port}"

    async def __aenter__(self) -> "GatewayProcess":
        self.proc = await asyncio.create_subprocess_exec(sys.executable, "-m", __name__, env=self.env,
                                                         stdout=asyncio.subprocess.PIPE,
                                                         stderr=asyncio.subprocess.STDOUT)
        await asyncio.to_thread(devinfra.wait_for_port, self.port, 60)
        return self

    async def __aexit__(self, *exc) -> None:
        self.proc.send_signal(signal.SIGINT)   # Ctrl-C: logged as a stop (SIGTERM ends it silently)
        self.output, _ = await asyncio.wait_for(self.proc.communicate(), 30)


def main() -> None:
    from prometheus_client import start_http_server

    settings = load(GatewaySettings)
    logs.configure(settings.service_name, settings.log_level, settings.log_format)
    start_http_server(settings.metrics_port, addr="127.0.0.1")
    app = create_app(settings)

    async def boom() -> dict:
        raise RuntimeError("a bug the gateway did not expect")

    app.add_api_route(BOOM, boom, methods=["GET"])
    asyncio.run(serve(settings, app=app))


if __name__ == "__main__":
    main()
