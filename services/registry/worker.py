"""`python -m services.registry.worker`: the registry's stream worker (faust-streaming).
A timer concludes public notices that ended per the Clock (the same handler the operator's
ConcludeNotices RPC calls), so registration follows the notice period without a request;
another raises contract deadline breaches (as the CheckContractDeadlines RPC does). The
`statistics` agent keeps the live statistics / trading map from the deal events of every
service (contracts, transformation records, procurement awards, green-channel landings)."""

import asyncio

from services.common import logs, streams
from services.common.clock import Clock, SystemClock
from services.common.identity import SYSTEM
from services.common.mongo import with_retry
from services.registry.bootstrap import RegistrySettings, build
from services.registry.domain import commands
from services.registry.service_layer import handlers, statistics


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

    @app.timer(interval=settings.notice_check_seconds)
    async def check_contract_deadlines() -> None:
        try:
            breached = await handlers.contracts.check_contract_deadlines(commands.CheckContractDeadlines(SYSTEM), deps)
            if breached:
                log.info("contracts.breached", breached=breached)
        except Exception as exc:  # noqa: BLE001 - the next tick retries
            log.warning("contracts.check_failed", error=str(exc))
        try:  # annual reports & obligations: missing / overdue reports, overdue fiscal obligations
            from services.registry.service_layer.reporting_deadlines import flag_deadlines
            flagged = await flag_deadlines(deps)
            if any(flagged.values()):
                log.info("reporting.flagged", **flagged)
        except Exception as exc:  # noqa: BLE001 - the next tick retries
            log.warning("reporting.check_failed", error=str(exc))

    @app.agent(streams.source_topic(app, *statistics.DEAL_TOPICS))
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
