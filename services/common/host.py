"""Hosts one domain service process: connects MongoDB and Kafka (failing fast with a clear
line), creates topics and indexes, serves gRPC with health, runs the outbox relay and the
consumers, all in one TaskGroup. Each service's bootstrap.py supplies the parts."""

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from services.common import grpc_server, internal_auth, kafka, logs, mongo, probes, runtime
from services.common.clock import Clock, SystemClock
from services.common.outbox import Outbox
from services.common.relay import OutboxRelay


@dataclass
class Host:
    settings: object
    package: str                       # proto package of the service's events, e.g. bth.registry.v1
    clock: Clock = field(default_factory=SystemClock)
    audience: Callable | None = None   # (aggregate, event) -> partner regions: the service decides

    def __post_init__(self) -> None:
        s = self.settings
        self.client = mongo.connect(s.mongo.uri, s.mongo.serialize_writes)
        self.db = self.client[s.database]
        self.outbox = Outbox(self.db, f"/bth/{s.service_name}", self.clock, self.audience)
        self.relay = OutboxRelay(self.outbox, s.kafka, s.outbox_poll_seconds,
                                 replay_seconds=s.outbox_replay_seconds)
        self.server = None
        self.port = None
        self.probes = None
        self.ready = asyncio.Event()
        self.heartbeat = probes.Heartbeat(self.settings.heartbeat_max_age_seconds)

    def uow(self) -> mongo.UnitOfWork:
        return mongo.UnitOfWork(self.client, self.settings.database, self.outbox, self.package)

    def consumer(self, group: str, handlers: dict):
        s = self.settings
        return kafka_consumer(s, f"{s.service_name}.{group}", handlers, self.uow)

    async def start(self, registrations, service_names, create_indexes=None) -> None:
        s = self.settings
        await mongo.ping(self.client, s.mongo.uri)
        await kafka.ensure_topics(s.kafka, None)
        await kafka.ensure_topics(s.kafka, [kafka.dlq_topic(s.service_name)])
        await self.outbox.create_indexes()
        if create_indexes:
            await create_indexes(self.db)
        key = internal_auth.require_key(s.internal_auth_key.get_secret_value())
        self.server, self.port = await grpc_server.start(s.grpc_host, s.grpc_port, registrations, service_names, key)
        self.probes = probes.serve(s.metrics_port, self.heartbeat)
        logs.get().info("grpc.listening", port=self.port, services=service_names)

    async def run(self, consumers=(), stop: asyncio.Event | None = None, closers=()) -> None:
        tasks = {"outbox-relay": self.relay.run(), "heartbeat": self.heartbeat.run()}
        tasks |= {f"consumer-{c.group}": c.run() for c in consumers}
        self.ready.set()
        self.heartbeat.ready.set()
        await runtime.run_until_stopped(tasks, [self.close, *closers], stop)

    async def close(self) -> None:
        self.heartbeat.ready.clear()
        if self.server is not None:
            await self.server.stop(grace=2)
        if self.probes is not None:
            await asyncio.to_thread(self.probes.shutdown)
            self.probes.server_close()
        await self.client.close()


def kafka_consumer(settings, group: str, handlers: dict, uow_factory):
    from services.common.consumer import EventConsumer

    return EventConsumer(group, settings.kafka, handlers, uow_factory, kafka.dlq_topic(settings.service_name),
                         settings.consumer_max_retries)

