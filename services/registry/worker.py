"""`python -m services.registry.worker`: the registry's stream worker (faust-streaming).
A timer concludes public notices that ended per the Clock (the same handler the operator's
ConcludeNotices RPC calls), so registration follows the notice period without a request."""

import asyncio

from services.common import logs, streams
from services.common.clock import Clock, SystemClock
from services.common.identity import SYSTEM
from services.registry.bootstrap import RegistrySettings, build
from services.registry.domain import commands
from services.registry.service_layer import handlers


def create(settings: RegistrySettings, clock: Clock):
    host, deps = build(settings, clock)
    app = streams.app(f"{settings.service_name}-worker", settings.kafka)
    log = logs.get("registry.worker")

    @app.timer(interval=settings.notice_check_seconds)
    async def conclude_notices() -> None:
        try:
            registered = await handlers.conclude_notices(commands.ConcludeNotices(SYSTEM), deps)
            if registered:
                log.info("notices.concluded", registered=registered)
        except Exception as exc:  # noqa: BLE001 - the next tick retries
            log.warning("notices.conclude_failed", error=str(exc))

    return app, host


async def serve(settings: RegistrySettings, clock: Clock | None = None, stop: asyncio.Event | None = None) -> None:
    app, host = create(settings, clock or SystemClock())
    stop = stop or asyncio.Event()
    await app.start()
    try:
        await stop.wait()
    finally:
        await app.stop()
        await host.client.close()


def main() -> None:
    from services.common.settings import load

    settings = load(RegistrySettings)
    logs.configure(f"{settings.service_name}-worker", settings.log_level, settings.log_format)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
