"""Partner event delivery process: feed ingestion (every topic → Mongo `feed`) and the
webhook delivery worker. In production: `python -m services.gateway.delivery` (one
replica; set DELIVERY_IN_PROCESS=false on the gateway replicas). In development and tests
the gateway runs the same tasks in its own process (DELIVERY_IN_PROCESS=true, default)."""

import asyncio

from services.common import logs, mongo, probes, tracing
from services.common.clock import Clock, SystemClock
from services.common.settings import load
from services.gateway import feed, feed_ingest, webhooks
from services.gateway.settings import GatewaySettings
from services.gateway.webhook_worker import DeliveryWorker


class Delivery:
    def __init__(self, settings: GatewaySettings, db, clock: Clock | None = None):
        self.settings, self.db = settings, db
        self.clock = clock or SystemClock()
        self.new_events = asyncio.Condition()
        self.ingester = feed_ingest.FeedIngester(settings, db, self._stored)
        self.worker = DeliveryWorker(settings, db, self.clock)
        self.wakeup = asyncio.Event()
        self.worker.on_sender_done = self.wakeup.set   # its retries may be due sooner than the current wait
        self.log = logs.get("delivery")

    def _stored(self) -> None:
        self.wakeup.set()

        async def notify():
            async with self.new_events:
                self.new_events.notify_all()
        asyncio.get_running_loop().create_task(notify())

    async def wait_for_events(self, seconds: float) -> None:
        """Long-poll helper: return when an event was stored or after `seconds`."""
        try:
            async with self.new_events:
                await asyncio.wait_for(self.new_events.wait(), seconds)
        except TimeoutError:
            pass

    async def deliver_forever(self) -> None:
        """Rounds of fan-out and dispatch, each woken by an event (a stored feed event, a new or
        changed subscription, a sender that finished) or by the next retry coming due; at rest,
        at most one round per DELIVERY_IDLE_SECONDS (no polling)."""
        s = self.settings
        while True:
            self.wakeup.clear()
            wait = s.delivery_poll_seconds
            try:
                await self.worker.fan_out()
                await self.worker.dispatch()
                due = await self.worker.next_due()
                wait = s.delivery_idle_seconds if due is None else (due - self.clock.now()).total_seconds()
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - keep delivering; Mongo may come back
                self.log.warning("delivery.loop_failed", error=f"{type(exc).__name__}: {exc}")
            try:
                await asyncio.wait_for(self.wakeup.wait(), min(max(wait, s.delivery_poll_seconds),
                                                               s.delivery_idle_seconds))
            except TimeoutError:
                pass

    def tasks(self) -> list:
        return [self.ingester.run(), self.deliver_forever()]


async def create_indexes(db) -> None:
    await feed.create_indexes(db)
    await webhooks.create_indexes(db)


async def serve(settings: GatewaySettings, stop: asyncio.Event | None = None,
                heartbeat: probes.Heartbeat | None = None) -> None:
    from services.common import runtime
    heartbeat = heartbeat or probes.Heartbeat(settings.heartbeat_max_age_seconds)
    client = mongo.connect(settings.mongo.uri)
    await mongo.ping(client, settings.mongo.uri)
    db = client[settings.database]
    await create_indexes(db)
    delivery = Delivery(settings, db)
    heartbeat.checks["feed"] = delivery.ingester.status   # not ready while it cannot consume
    heartbeat.ready.set()

    async def close():
        await delivery.worker.aclose()  # cancels the per-subscription senders too
        await client.close()
    await runtime.run_until_stopped({"feed": delivery.ingester.run(), "webhooks": delivery.deliver_forever(),
                                     "heartbeat": heartbeat.run()}, [close], stop)


def main() -> None:
    settings = load(GatewaySettings)
    logs.configure(f"{settings.service_name}-delivery", settings.log_level, settings.log_format)
    tracing.configure(f"{settings.service_name}-delivery", settings.otel_exporter_otlp_endpoint)
    heartbeat = probes.Heartbeat(settings.heartbeat_max_age_seconds)
    probes.serve(settings.metrics_port, heartbeat)  # /metrics, /healthz, /readyz
    asyncio.run(serve(settings, heartbeat=heartbeat))


if __name__ == "__main__":
    main()
