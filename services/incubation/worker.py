"""The incubation stream worker (faust-streaming): a timer that checks open green-channel
cases against the shared clock and raises SLA warnings and escalations at once
(`detect_sla_breaches(now)`, idempotent). `python -m services.incubation.worker`."""

import asyncio

from services.common import logs, metrics, streams
from services.common.clock import Clock, SystemClock
from services.common.settings import load
from services.incubation.bootstrap import IncubationSettings, build
from services.incubation.service_layer import handlers


def create_app(settings: IncubationSettings, clock: Clock):
    host, deps = build(settings, clock)
    app = streams.app(f"{settings.service_name}-sla", settings.kafka)
    log = logs.get("sla")

    @app.timer(interval=settings.sla_check_seconds)
    async def check_deadlines() -> None:
        try:
            changed = await handlers.detect_sla_breaches(clock.now(), deps)
            if changed:
                log.info("sla.raised", cases=changed)
        except Exception as exc:  # noqa: BLE001 - keep the timer alive; the next tick retries
            log.warning("sla.check_failed", error=f"{type(exc).__name__}: {exc}")

    return app, host


async def serve(settings: IncubationSettings, clock: Clock | None = None, stop: asyncio.Event | None = None) -> None:
    clock = clock or SystemClock()
    app, host = create_app(settings, clock)
    stop = stop or asyncio.Event()
    # The same check also ticks on a plain asyncio timer, so deadlines are watched even while
    # the faust consumer group is still rebalancing (the handler is idempotent).
    ticker = asyncio.create_task(_tick(settings, clock, stop))
    await app.start()
    try:
        await stop.wait()
    finally:
        ticker.cancel()
        await app.stop()
        await host.client.close()


async def _tick(settings: IncubationSettings, clock: Clock, stop: asyncio.Event) -> None:
    host, deps = build(settings, clock)
    log = logs.get("sla")
    try:
        while not stop.is_set():
            try:
                await handlers.detect_sla_breaches(clock.now(), deps)
            except Exception as exc:  # noqa: BLE001 - the next tick retries
                log.warning("sla.check_failed", error=f"{type(exc).__name__}: {exc}")
            try:
                await asyncio.wait_for(stop.wait(), settings.sla_check_seconds)
            except TimeoutError:
                pass
    finally:
        await host.client.close()


def main() -> None:
    settings = load(IncubationSettings)
    logs.configure(settings.service_name, settings.log_level, settings.log_format)
    metrics.serve(settings.metrics_port)  # /metrics, also the liveness probe of workers
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
