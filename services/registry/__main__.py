"""`python -m services.registry`: the registry API process (gRPC, outbox relay, consumers)."""

import asyncio

from services.common import logs
from services.common.settings import load
from services.registry.bootstrap import RegistrySettings, serve


def main() -> None:
    settings = load(RegistrySettings)
    logs.configure(settings.service_name, settings.log_level, settings.log_format)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
