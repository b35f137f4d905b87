"""Feed ingestion, supervised: a consumer of every event topic stores each event in the feed
(feed.store, a partition's batch at a time). Any broker error (fetch, commit, a lost group
membership) stops the consumer;
the loop creates the topics again if they are gone and starts a new consumer, so ingestion
resumes by itself after a broker restart. `status()` says whether it consumes, and why not
(/readyz shows it). A broker that lost data is noticed when a partition delivers an offset
below the one the feed already committed (kept in Mongo `feed_offsets`, so a whole restart
is covered too): logged as an error, counted, shown in status(); ingestion goes on (stored
events dedupe by id). (End offsets are not compared: Tansu under-reports them for batches.)"""

import asyncio

from aiokafka import AIOKafkaConsumer
from prometheus_client import Counter, Gauge

from services.common import contracts, kafka, logs
from services.common.envelope import Envelope
from services.gateway import feed, metrics

POISON = Counter("bth_feed_poison_total", "Records the feed refused (never stored nor served)", ["reason"])
DATA_LOST = Counter("bth_feed_broker_data_lost_total", "Partitions a broker lost (offsets went backwards)")
READY = Gauge("bth_feed_ingestion_ready", "1 while the feed ingestion consumes")
OFFSETS = "feed_offsets"
CHECK_TIMEOUT_SECONDS = 3.0


class BrokerUnreachable(Exception):
    pass


class FeedIngester:
    def __init__(self, settings, db, on_stored=None, check_seconds: float = 2.0, retry_seconds: float = 1.0):
        self.settings, self.db, self.on_stored = settings, db, on_stored
        self.check_seconds, self.retry_seconds = check_seconds, retry_seconds
        self.ready, self.reason, self.data_lost = False, "starting", ""
        self.seen: dict[tuple[str, int], int] = {}   # (topic, partition) → next offset committed
        self.log = logs.get("feed")

    def status(self) -> dict:
        body = {"ready": self.ready, "reason": self.reason}
        return body | ({"broker_data_lost": self.data_lost} if self.data_lost else {})

    def _set(self, ready: bool, reason: str) -> None:
        self.ready, self.reason = ready, reason
        READY.set(1 if ready else 0)

    async def run(self) -> None:
        while True:
            consumer = None
            try:
                await kafka.create_missing(self.settings.kafka, None)
                self.seen = {(d["topic"], d["partition"]): d["next"] async for d in self.db[OFFSETS].find({})}
                consumer = self._consumer()
                await consumer.start()
                await self._consume(consumer)
            except asyncio.CancelledError as exc:
                if asyncio.current_task().cancelling():
                    raise
                self._set(False, f"cannot consume: the Kafka client was cancelled inside ({exc})")  # aiokafka leaks
            except Exception as exc:  # noqa: BLE001 - supervised: report, start a new consumer
                self._set(False, f"cannot consume: {type(exc).__name__}: {exc}"[:300])
                self.log.warning("feed.ingestion_retrying", reason=self.reason)
            finally:
                if consumer is not None:
                    await _stop(consumer)
            await asyncio.sleep(self.retry_seconds)

    def _consumer(self) -> AIOKafkaConsumer:
        k = self.settings.kafka
        return AIOKafkaConsumer(*contracts.topics(), group_id=f"{self.settings.service_name}.feed",
                                enable_auto_commit=False, auto_offset_reset="earliest",
                                session_timeout_ms=int(k.session_timeout_seconds * 1000),
                                heartbeat_interval_ms=int(k.heartbeat_seconds * 1000), **k.client_options())

    async def _consume(self, consumer) -> None:
        loop = asyncio.get_running_loop()
        next_check = 0.0
        while True:
            batches = await consumer.getmany(timeout_ms=500, max_records=200)
            for tp, records in batches.items():
                await self._went_back(tp, records[0].offset)
                await self.ingest(records)
                self.seen[(tp.topic, tp.partition)] = records[-1].offset + 1
            if batches:
                await consumer.commit()
                for tp in batches:
                    await self._save(tp.topic, tp.partition)
            for tp in consumer.assignment():   # bth_feed_ingestion_lag: records still to read
                if (high := consumer.highwater(tp)) is not None:
                    metrics.FEED_LAG.labels(tp.topic, str(tp.partition)).set(max(0, high - await consumer.position(tp)))
            if loop.time() >= next_check:
                await self._check(consumer)
                next_check = loop.time() + self.check_seconds

    async def _check(self, consumer) -> None:
        """Broker reachable, partitions assigned, nothing lost; raises to start over."""
        assigned = consumer.assignment()
        if not assigned:
            self._set(False, "joining the consumer group (no partitions assigned yet)")
            return
        try:  # the broker answers (the fetcher alone only logs while it is away)
            await asyncio.wait_for(consumer.end_offsets(list(assigned)), CHECK_TIMEOUT_SECONDS)
        except TimeoutError:
            raise BrokerUnreachable(f"the broker did not answer within {CHECK_TIMEOUT_SECONDS}s") from None
        self._set(True, "consuming")

    async def _went_back(self, tp, offset: int) -> None:
        """Offsets below the committed one come only from a broker that lost the partition
        (and the group's offsets with it: the consumer starts again from the earliest)."""
        key = (tp.topic, tp.partition)
        if offset >= self.seen.get(key, 0):
            return
        self.data_lost = f"{tp.topic}[{tp.partition}] offset {offset} < {self.seen[key]} already read"
        DATA_LOST.inc()
        self.log.error("feed.broker_lost_data", detail=self.data_lost,
                       hint="the broker lost acknowledged records (an in-memory broker restarted?); "
                            "events published meanwhile may never reach the feed")
        self.seen[key] = offset
        await self._save(tp.topic, tp.partition)

    async def _save(self, topic: str, partition: int) -> None:
        await self.db[OFFSETS].update_one({"_id": f"{topic}/{partition}"}, {"$set": {
            "topic": topic, "partition": partition, "next": self.seen[(topic, partition)]}}, upsert=True)

    async def ingest(self, records) -> None:
        """One partition's batch: poison skipped (logged, counted), the rest stored in one go."""
        events = []
        for record in records:
            try:
                envelope = Envelope.from_record(record.key, record.value, record.headers)
                events.append((envelope, record.topic, feed.decode(envelope)))
            except ValueError as exc:  # feed.Poison too: never stored, never served
                reason = exc.reason if isinstance(exc, feed.Poison) else "not-a-cloudevent"
                POISON.labels(reason).inc()
                self.log.error("feed.poison_skipped", topic=record.topic, partition=record.partition,
                               offset=record.offset, reason=reason, error=str(exc)[:300])
        if not events:
            return
        while True:
            try:
                seqs = await feed.store(self.db, events)
                break
            except Exception as exc:  # noqa: BLE001 - Mongo down: wait, never skip an event
                self.log.warning("feed.store_failed", error=str(exc))
                await asyncio.sleep(1)
        stored = sum(seq is not None for seq in seqs)
        metrics.FEED_STORED.inc(stored)
        if stored and self.on_stored:
            self.on_stored()


async def _stop(consumer) -> None:
    try:
        await asyncio.wait_for(consumer.stop(), 10)
    except asyncio.CancelledError:  # aiokafka may leak its own tasks' cancellation on a broken connection
        if asyncio.current_task().cancelling():
            raise
    except Exception:  # noqa: BLE001 - best effort on a broken connection
        pass
