"""`python -m services.gateway`: the public REST entry."""

import asyncio

from prometheus_client import start_http_server

from services.common import logs
from services.common.settings import load
from services.gateway.app import serve
from services.gateway.settings import GatewaySettings


def main() -> None:
    settings = load(GatewaySettings)
    logs.configure(settings.service_name, settings.log_level, settings.log_format)
    if settings.metrics_port:  # /metrics (probes are /healthz and /readyz on the HTTP port)
        start_http_server(settings.metrics_port, addr="0.0.0.0")
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
