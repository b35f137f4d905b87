"""`python -m services.incubation`: the incubation API process (gRPC, outbox relay, consumers)."""

import asyncio

from services.common import logs
from services.common.settings import load
from services.incubation.bootstrap import IncubationSettings, serve


def main() -> None:
    settings = load(IncubationSettings)
    logs.configure(settings.service_name, settings.log_level, settings.log_format)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
