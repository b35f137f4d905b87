"""The registry worker's stream agents (faust): the live statistics / trading map kept
from the deal events of every service (contracts, transformation records, procurement
awards, green-channel landings)."""

from services.common import logs, streams
from services.common.mongo import with_retry
from services.registry.service_layer import statistics


def agents(app, deps) -> None:
    log = logs.get("registry.worker")

    @app.agent(streams.source_topic(app, *statistics.DEAL_TOPICS), name="registry.deal_statistics")
    async def deal_statistics(stream) -> None:
        async for event in stream.events():
            decoded = streams.decode(event)
            if decoded is None:
                continue
            envelope, message = decoded
            try:
                await with_retry(lambda e=envelope, m=message: statistics.apply_deal_event(e, m, deps))
            except Exception as exc:  # noqa: BLE001 - keep the agent alive; the event is logged
                log.error("statistics.apply_failed", event_id=envelope.id, type=envelope.type, error=str(exc))
