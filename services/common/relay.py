"""The outbox relay: publishes pending records in commit order with acks=all, marks them
published (or failed, with attempts), and backs off while the broker or MongoDB is away: at
most MAX_BACKOFF_SECONDS, with jitter, so it drains within about a second of the broker coming
back. It marks records in chunks of MARK_CHUNK, taking the write lock per chunk (writers wait
for one chunk, not for a whole batch). Records published before the replay window are purged
hourly: every insert on the embedded server costs in proportion to the collection's size."""

import asyncio
import random
from datetime import UTC, datetime, timedelta

from aiokafka import AIOKafkaProducer
from aiokafka.errors import KafkaError
from prometheus_client import Counter
from pymongo import ASCENDING, UpdateOne
from pymongo.errors import PyMongoError

from services.common import kafka, logs, metrics
from services.common.acked_offsets import AckedOffsets
from services.common.mongo_lock import write_lock
from services.common.outbox import FAILED, PENDING, PUBLISHED, Outbox, envelope_of

BROKER_DATA_LOST = Counter("bth_outbox_broker_data_lost_total", "Times a partition's offset went backwards")
REPLAYED = Counter("bth_outbox_replayed_total", "Published records made pending again after the broker lost data")
MAX_BACKOFF_SECONDS = 1.0
MARK_CHUNK = 25
PURGE_SECONDS = 3600.0
IDLE_STRETCH = 4   # at rest: two store reads per round, so four times fewer rounds


class BrokerLostData(KafkaError):
    pass


def backoff(failures: int, poll_seconds: float) -> float:
    """Seconds to wait after `failures` failed rounds: doubling, capped, with 50 % jitter."""
    return min(MAX_BACKOFF_SECONDS, poll_seconds * 2 ** min(failures, 6)) * random.uniform(0.5, 1.0)


def idle_wait(idle_rounds: int, poll_seconds: float) -> float:
    """Seconds to the next look after `idle_rounds` rounds in a row found nothing: the interval,
    doubling at rest up to IDLE_STRETCH intervals. A commit in this process wakes the relay at
    once; the stretch only delays what other processes (the worker's timers) commit."""
    return poll_seconds * min(IDLE_STRETCH, 2 ** max(0, idle_rounds - 1))


class OutboxRelay:
    def __init__(self, outbox: Outbox, kafka, poll_seconds: float = 0.5, batch: int = 200,
                 replay_seconds: float = 86400.0):
        self.outbox, self.kafka = outbox, kafka
        self.replay_seconds = replay_seconds
        self.poll_seconds, self.batch = poll_seconds, batch
        self.failures = 0   # failed rounds in a row (0 once a round succeeds)
        self.idle_rounds = 0   # rounds in a row that published nothing
        self.acked = AckedOffsets(outbox.collection.database)
        self.data_lost = ""
        self.log = logs.get("outbox")
        self._next_purge = 0.0

    def _producer(self) -> AIOKafkaProducer:
        return AIOKafkaProducer(acks="all", enable_idempotence=self.kafka.enable_idempotence,
                                linger_ms=2, request_timeout_ms=5000, **self.kafka.client_options())

    async def run(self) -> None:
        producer = None
        try:
            while True:
                try:
                    await self.acked.load()
                    if producer is None:  # (again): a broker that restarted may have lost the topics,
                        created = await kafka.create_missing(self.kafka)  # and an in-memory one drops writes
                        if gone := sorted(self.acked.topics.intersection(created)):
                            await self.replay(f"topics published to were gone: {gone}")
                        producer = self._producer()
                        await producer.start()
                    published = looked = await self.publish_pending(producer)
                    while looked == self.batch:
                        looked = await self.publish_pending(producer)
                        published += looked
                    self.failures, self.idle_rounds = 0, 0 if published else self.idle_rounds + 1
                    await self.purge_when_due()
                except BrokerLostData as exc:
                    await _stop(producer)
                    producer = None
                    await self._replay_or_retry(str(exc))
                    continue
                except (KafkaError, PyMongoError) as exc:
                    self.failures += 1
                    self.log.warning("outbox.retrying", error=str(exc), failures=self.failures)
                    if isinstance(exc, KafkaError):
                        await _stop(producer)
                        producer = None
                    await asyncio.sleep(backoff(self.failures, self.poll_seconds))
                    continue
                try:
                    await asyncio.wait_for(self.outbox.wakeup.wait(), idle_wait(self.idle_rounds, self.poll_seconds))
                except TimeoutError:
                    pass
                self.outbox.wakeup.clear()
        finally:   # stopped while idle, publishing or backing off: the producer is closed
            await _stop(producer)

    async def purge_when_due(self) -> None:
        """At most once per PURGE_SECONDS: delete the records published before the replay window
        (nothing republishes them any more), so the outbox stays as large as that window."""
        loop = asyncio.get_running_loop()
        if loop.time() < self._next_purge:
            return
        self._next_purge = loop.time() + PURGE_SECONDS
        async with write_lock(self.outbox.collection.database.client):
            purged = await self.outbox.purge_published_before(
                self.outbox.clock.now() - timedelta(seconds=self.replay_seconds + PURGE_SECONDS))
        if purged:
            self.log.info("outbox.purged", records=purged)

    async def replay(self, why: str) -> None:
        """The broker lost records it had acknowledged: publish again what this outbox published in
        the last `replay_seconds` (consumers and the feed dedupe by event id), so nothing is lost."""
        since = self.outbox.clock.now() - timedelta(seconds=self.replay_seconds)
        async with write_lock(self.outbox.collection.database.client):
            count = await self.outbox.republish_since(since)
        await self.acked.forget()
        REPLAYED.inc(count)
        self.log.error("outbox.replaying", why=why, records=count, since=since.isoformat())

    async def _replay_or_retry(self, why: str) -> None:
        try:
            await self.replay(why)
        except PyMongoError as exc:   # the next loss check (or restart) replays; say so
            self.log.warning("outbox.replay_failed", error=str(exc))
            await asyncio.sleep(backoff(1, self.poll_seconds))

    async def publish_pending(self, producer: AIOKafkaProducer) -> int:
        """Publish one batch in commit order; returns how many records it looked at.
        Records up to the first failure are marked published; the failed one is marked
        failed (attempts + 1) and the error propagates so the loop backs off."""
        col = self.outbox.collection
        async with write_lock(col.database.client):  # the embedded SQLite engine refuses reads mid-transaction
            records = await col.find({"state": {"$in": [PENDING, FAILED]}}) \
                .sort("_id", ASCENDING).limit(self.batch).to_list()
        oldest = records[0]["_id"].generation_time if records else None
        metrics.OUTBOX_OLDEST_PENDING.set((datetime.now(UTC) - oldest).total_seconds() if oldest else 0)  # wall time
        if not records:
            return 0
        sent = []
        for record in records:
            key, value, headers = envelope_of(record).to_record()
            try:
                sent.append(await producer.send(record["topic"], value=value, key=key, headers=headers))
            except KafkaError as exc:
                sent.append(exc)
                break
        results = await asyncio.gather(*[s for s in sent if not isinstance(s, Exception)],
                                       return_exceptions=True) + [s for s in sent if isinstance(s, Exception)]
        done = [r for r, res in zip(records, results, strict=False) if not isinstance(res, Exception)]
        failed = next(((r, res) for r, res in zip(records, results, strict=False)
                       if isinstance(res, Exception)), None)
        if failed:
            done = done[: records.index(failed[0])]
        acked = [res for res in results if not isinstance(res, Exception)]
        self._check_offsets(acked)
        await self.acked.remember(acked)
        for start in range(0, len(done), MARK_CHUNK):  # the lock per chunk: writers get turns
            async with write_lock(col.database.client):
                await self._mark(col, done[start:start + MARK_CHUNK], None)
        if failed:
            async with write_lock(col.database.client):
                await self._mark(col, [], failed)
        if failed:
            raise failed[1] if isinstance(failed[1], KafkaError) else KafkaError(str(failed[1]))
        return len(records)

    def _check_offsets(self, acked: list) -> None:
        """Offsets that went back: the broker lost data. Say so loudly; nothing of this batch is
        marked, and the loop replays the window (this batch included)."""
        if not (lost := self.acked.went_back(acked)):
            return
        self.data_lost = lost
        BROKER_DATA_LOST.inc()
        self.log.error("outbox.broker_lost_data", detail=lost,
                       hint="the broker lost acknowledged records (an in-memory broker restarted?); "
                            "republishing what was published in the replay window")
        raise BrokerLostData(lost)

    async def _mark(self, col, done: list, failed) -> None:
        if done:  # one round trip; an update per _id stays on the _id index
            now = self.outbox.clock.now()
            await col.bulk_write([UpdateOne({"_id": r["_id"]}, {"$set": {"state": PUBLISHED, "published_at": now},
                                                                "$inc": {"attempts": 1}}) for r in done],
                                 ordered=False)
            for r in done:
                metrics.OUTBOX_PUBLISHED.labels(r["topic"]).inc()
        if failed:
            metrics.OUTBOX_FAILURES.inc()
            await col.update_one({"_id": failed[0]["_id"]}, {
                "$set": {"state": FAILED, "last_error": str(failed[1])}, "$inc": {"attempts": 1}})


async def _stop(producer) -> None:
    if producer is not None:
        try:
            await producer.stop()
        except Exception:  # noqa: BLE001 - best effort on a broken connection
            pass
