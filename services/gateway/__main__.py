"""`python -m services.gateway`: the public REST entry."""

import asyncio

from services.common import logs, metrics
from services.common.settings import load
from services.gateway.app import serve
from services.gateway.settings import GatewaySettings


def main() -> None:
    settings = load(GatewaySettings)
    logs.configure(settings.service_name, settings.log_level, settings.log_format)
    metrics.serve(settings.metrics_port)  # /metrics (probes are /healthz and /readyz on the HTTP port)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
