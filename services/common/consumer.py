"""At-least-once event consumer: each record is applied in one Mongo transaction together
with its inbox mark (a processed event id is never applied twice); a record that does not
decode, or fails after bounded retries, goes to the service's dead-letter topic.

`run()` reads the topics itself (aiokafka); a faust agent hands its records to `consume()`
instead, so a stream gets the same inbox, retries and dead-letter topic. Each consumer deletes its
group's expired inbox marks (inbox.py) at most once per INBOX_SWEEP_SECONDS."""

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.errors import KafkaError
from pymongo.errors import ConnectionFailure, PyMongoError

from services.common import contracts, inbox, logs, metrics, mongo, tracing
from services.common.envelope import Envelope
from services.common.mongo_lock import write_lock

INBOX_SWEEP_SECONDS = 3600.0

Handler = Callable[[object, Envelope, object], Awaitable[None]]  # (message, envelope, uow)


class EventConsumer:
    def __init__(self, group: str, kafka, handlers: dict[str, Handler], uow_factory, dlq_topic: str,
                 max_retries: int = 3):
        self.group, self.kafka, self.handlers = group, kafka, handlers
        self.uow_factory, self.dlq_topic, self.max_retries = uow_factory, dlq_topic, max_retries
        catalogue = contracts.catalogue()
        self.topics = sorted({catalogue[t].topic for t in handlers})
        self.log = logs.get("consumer").bind(group=group)
        self._next_sweep = 0.0

    async def run(self) -> None:
        consumer = AIOKafkaConsumer(*self.topics, group_id=self.group, enable_auto_commit=False,
                                    auto_offset_reset="earliest",
                                    session_timeout_ms=int(self.kafka.session_timeout_seconds * 1000),
                                    heartbeat_interval_ms=int(self.kafka.heartbeat_seconds * 1000),
                                    **self.kafka.client_options())
        producer = AIOKafkaProducer(acks="all", **self.kafka.client_options())
        try:   # stopped even while starting (a broker that does not answer yet): both are closed
            await consumer.start()
            await producer.start()
            while True:
                try:
                    await self.poll_once(consumer, producer)
                except KafkaError as exc:  # broker away or a rebalance: keep running, and read
                    self.log.warning("consumer.retrying", error=str(exc))  # uncommitted records again
                    await asyncio.sleep(1)
                    try:
                        await consumer.seek_to_committed()
                    except KafkaError:
                        pass
        finally:
            await consumer.stop()
            await producer.stop()

    async def consume(self, records) -> None:
        """Process the records of an async iterator (e.g. a faust stream's messages: they carry
        key, value, headers, topic, partition, offset) one by one, as `run()` does."""
        producer = AIOKafkaProducer(acks="all", **self.kafka.client_options())
        await producer.start()
        try:
            async for record in records:
                await self.process(record, producer)
                await self._sweep_when_due()
        finally:
            await producer.stop()

    async def poll_once(self, consumer, producer) -> None:
        batches = await consumer.getmany(timeout_ms=500, max_records=500)
        for records in batches.values():
            for record in records:
                await self.process(record, producer)
        if batches:
            await consumer.commit()
        await self.report_lag(consumer)
        await self._sweep_when_due()

    async def _sweep_when_due(self) -> None:
        if asyncio.get_running_loop().time() >= self._next_sweep:
            self._next_sweep = asyncio.get_running_loop().time() + INBOX_SWEEP_SECONDS
            await self.sweep_inbox(datetime.now(UTC))

    async def sweep_inbox(self, now: datetime) -> int:
        """Delete this group's inbox marks past their retention at `now`; returns how many."""
        kept = inbox.retention(self.kafka)
        if kept is None:
            return 0
        uow = self.uow_factory()
        try:
            async with write_lock(uow.client):
                return await inbox.sweep(uow.client[uow.database], self.group, now - kept)
        except PyMongoError as exc:  # the next sweep tries again
            self.log.warning("consumer.inbox_sweep_failed", error=str(exc))
            return 0

    async def report_lag(self, consumer) -> None:
        """bth_consumer_lag: records the group has still to read, per partition it holds."""
        for tp in consumer.assignment():
            high = consumer.highwater(tp)
            if high is not None:
                metrics.CONSUMER_LAG.labels(self.group, tp.topic, str(tp.partition)).set(
                    max(0, high - await consumer.position(tp)))

    async def process(self, record, producer) -> None:
        try:
            envelope = Envelope.from_record(record.key, record.value, record.headers)
            contract = contracts.catalogue().get(envelope.type)
            handler = self.handlers.get(envelope.type)
            message = contract.message.FromString(envelope.data) if handler else None
        except Exception as exc:  # noqa: BLE001 - any decode failure is a poison record
            return await self.dead_letter(record, producer, f"undecodable: {exc}")
        if handler is None:
            return
        logs.request_id.set(envelope.trace_id)
        with tracing.consuming(f"{envelope.type} process", envelope.traceparent, **{
                "messaging.consumer.group.name": self.group, "messaging.destination.name": record.topic}):
            return await self._handle(record, producer, handler, message, envelope)

    async def _handle(self, record, producer, handler, message, envelope) -> None:
        attempt = 0
        while True:
            try:
                return await mongo.with_retry(lambda: self.apply(handler, message, envelope))
            except ConnectionFailure as exc:  # infrastructure: wait for it, never dead-letter
                self.log.warning("consumer.mongo_unavailable", error=str(exc))
                await asyncio.sleep(1)
            except Exception as exc:  # noqa: BLE001 - handler failure: bounded retries, then DLQ
                attempt += 1
                if attempt > self.max_retries:
                    return await self.dead_letter(record, producer, f"{type(exc).__name__}: {exc}", attempt)
                await asyncio.sleep(0.05 * 2**attempt)

    async def apply(self, handler: Handler, message, envelope: Envelope) -> None:
        async with self.uow_factory() as uow:
            if not await inbox.mark(uow.client[uow.database], self.group, envelope.id, envelope.type,
                                    datetime.now(UTC), uow.session):
                metrics.EVENTS_DUPLICATE.labels(self.group).inc()
                return
            await handler(message, envelope, uow)
            await uow.commit()
        metrics.EVENTS_CONSUMED.labels(self.group, envelope.type).inc()

    async def dead_letter(self, record, producer, reason: str, attempts: int = 0) -> None:
        original = record.headers or ()
        headers = list(original.items() if isinstance(original, dict) else original) + [
            ("dlq_attempts", str(attempts).encode()),
            ("dlq_reason", reason[:500].encode()), ("dlq_group", self.group.encode()),
            ("dlq_topic", record.topic.encode()), ("dlq_partition", str(record.partition).encode()),
            ("dlq_offset", str(record.offset).encode())]
        await producer.send_and_wait(self.dlq_topic, value=record.value, key=record.key, headers=headers)
        metrics.EVENTS_DEAD_LETTERED.labels(self.group).inc()
        self.log.error("consumer.dead_lettered", topic=record.topic, offset=record.offset, reason=reason)
