"""One runtime for every domain service. A service declares itself in a `ServiceSpec`
(its settings, composition root, gRPC servicers, indexes, subscriptions, timers and stream
agents); `api_main(spec)` and `worker_main(spec)` are its two processes, so every process
serves metrics and probes and stops the same way:

    python -m services.<name>          -> api_main(SPEC):    gRPC, outbox relay, consumers
    python -m services.<name>.worker   -> worker_main(SPEC): faust timers and stream agents
"""

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from services.common import dev_clock, logs, metrics, probes, runtime, streams, tracing
from services.common.clock import Clock
from services.common.settings import ServiceSettings, load


@dataclass(frozen=True)
class Timer:
    """`run(deps)` every `interval(settings)` seconds in the worker; it returns what changed."""
    name: str
    interval: Callable[[ServiceSettings], float]
    run: Callable[[object], Awaitable[object]]


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    settings: type[ServiceSettings]
    build: Callable                                   # (settings, clock) -> (Host, deps)
    servicers: Callable                               # deps -> [(add_XServicer_to_server, servicer)]
    service_names: list[str]
    create_indexes: Callable[[object], Awaitable[None]]
    subscriptions: Callable[[object], dict]           # deps -> {consumer group: {event type: handler}}
    timers: list[Timer] = field(default_factory=list)
    agents: Callable | None = None                    # (faust app, deps) -> None: stream agents
    closers: Callable[[object], list] = lambda deps: []  # deps -> [async close()] run at shutdown
    warmup: Callable[[], object] | None = None        # slow one-time loads (jieba) before gRPC serves


async def serve_api(spec: ServiceSpec, settings, clock: Clock | None = None, stop: asyncio.Event | None = None,
                    host_ready=None) -> None:
    tracing.configure(settings.service_name, settings.otel_exporter_otlp_endpoint)   # before any channel
    host, deps = spec.build(settings, clock or dev_clock.clock_for(settings))
    if spec.warmup:  # before the server starts, so the first call and the probes never wait for it
        await asyncio.to_thread(spec.warmup)
    await host.start(spec.servicers(deps), spec.service_names, spec.create_indexes)
    if host_ready:
        host_ready(host)
    consumers = [host.consumer(group, table) for group, table in spec.subscriptions(deps).items()]
    await host.run(consumers=consumers, stop=stop, closers=spec.closers(deps))


async def _tick(timer: Timer, deps, log) -> None:
    try:
        changed = await timer.run(deps)
    except Exception as exc:  # noqa: BLE001 - counted and logged; the next round runs again
        metrics.TIMER_RUNS.labels(timer.name, "failed").inc()
        log.warning("timer.failed", timer=timer.name, error=f"{type(exc).__name__}: {exc}")
        return
    metrics.TIMER_RUNS.labels(timer.name, "ok").inc()
    if changed:
        log.info("timer.changed", timer=timer.name, changed=changed)


def _round(timer: Timer, deps, log):
    async def round_() -> None:  # no parameters: faust would pass the app to one
        await _tick(timer, deps, log)
    return round_


def create_worker(spec: ServiceSpec, settings, clock: Clock):
    """The faust app of the worker with the spec's timers and agents; returns (app, host)."""
    host, deps = spec.build(settings, clock)
    app = streams.app(f"{settings.service_name}-worker", settings.kafka)
    log = logs.get(f"{spec.name}.worker")
    for timer in spec.timers:
        app.timer(interval=timer.interval(settings), name=f"{spec.name}.{timer.name}")(_round(timer, deps, log))
    if spec.agents:
        spec.agents(app, deps)
    return app, host, deps


async def serve_worker(spec: ServiceSpec, settings, clock: Clock | None = None, stop: asyncio.Event | None = None,
                       heartbeat: probes.Heartbeat | None = None) -> None:
    heartbeat = heartbeat or probes.Heartbeat(settings.heartbeat_max_age_seconds)
    tracing.configure(f"{settings.service_name}-worker", settings.otel_exporter_otlp_endpoint)
    app, host, deps = create_worker(spec, settings, clock or dev_clock.clock_for(settings))

    async def run_app() -> None:
        await app.start()
        heartbeat.ready.set()
        await asyncio.Event().wait()

    async def stop_app() -> None:
        heartbeat.ready.clear()
        await app.stop()

    closers = [host.client.close, *spec.closers(deps), stop_app]
    await runtime.run_until_stopped({"faust": run_app(), "heartbeat": heartbeat.run()}, closers, stop)


def api_main(spec: ServiceSpec) -> None:
    settings = load(spec.settings)
    logs.configure(settings.service_name, settings.log_level, settings.log_format)
    asyncio.run(serve_api(spec, settings))


def worker_main(spec: ServiceSpec) -> None:
    settings = load(spec.settings)
    logs.configure(f"{settings.service_name}-worker", settings.log_level, settings.log_format)
    heartbeat = probes.Heartbeat(settings.heartbeat_max_age_seconds)
    probes.serve(settings.metrics_port, heartbeat)
    asyncio.run(serve_worker(spec, settings, heartbeat=heartbeat))
