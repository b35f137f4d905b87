"""`python -m services.procurement.worker`: the procurement stream worker (faust). A timer
expires listings whose term has ended, reading time from the Clock (operators can also
trigger it through the ExpireListings RPC)."""

import asyncio

from services.common import logs, metrics, streams
from services.common.clock import Clock, SystemClock
from services.common.settings import load
from services.procurement.bootstrap import ProcurementSettings, build
from services.procurement.service_layer import handlers


def make_app(settings: ProcurementSettings, clock: Clock):
    host, deps = build(settings, clock)
    app = streams.app(f"{settings.service_name}-worker", settings.kafka)
    log = logs.get("procurement.worker")

    @app.timer(interval=settings.expiry_interval_seconds)
    async def expire_listings() -> None:
        try:
            expired = await handlers.expire_listings(clock.now(), deps)
            if expired:
                log.info("listings.expired", count=len(expired))
        except Exception as exc:  # noqa: BLE001 - a failed round is retried on the next tick
            log.warning("listings.expiry_failed", error=str(exc))

    return app, host


async def serve(settings: ProcurementSettings, clock: Clock | None = None,
                stop: asyncio.Event | None = None) -> None:
    app, host = make_app(settings, clock or SystemClock())
    await app.start()
    try:
        await (stop or asyncio.Event()).wait()
    finally:
        await app.stop()
        await host.client.close()


def main() -> None:
    s = load(ProcurementSettings)
    logs.configure(s.service_name + "-worker", s.log_level, s.log_format)
    metrics.serve(s.metrics_port)  # /metrics, also the worker's liveness probe
    asyncio.run(serve(s))


if __name__ == "__main__":
    main()
