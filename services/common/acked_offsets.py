"""What the broker acknowledged to this outbox: the highest offset per partition, kept in
MongoDB (`outbox_offsets`, so a restart of the whole platform is covered too). A partition's
offset never goes back on a broker that keeps its log; if it does, the broker lost data (an
in-memory broker restarted) and the relay replays."""

from pymongo import UpdateOne

from services.common.mongo_lock import write_lock

COLLECTION = "outbox_offsets"


class AckedOffsets:
    def __init__(self, db):
        self.collection = db[COLLECTION]
        self.high: dict[tuple[str, int], int] = {}   # (topic, partition) → highest acknowledged offset
        self.loaded = False

    @property
    def topics(self) -> set[str]:
        return {topic for topic, _ in self.high}

    async def load(self) -> None:
        if not self.loaded:
            async with write_lock(self.collection.database.client):
                docs = await self.collection.find({}).to_list()
            self.high = {(d["topic"], d["partition"]): d["high"] for d in docs} | self.high
            self.loaded = True

    def went_back(self, acked: list) -> str:
        """'' when every acknowledged offset is beyond the known one, else what went back."""
        lost = [m for m in acked if m.offset <= self.high.get((m.topic, m.partition), -1)]
        return "; ".join(f"{m.topic}[{m.partition}] offset {m.offset} <= {self.high[(m.topic, m.partition)]} "
                         "seen before" for m in lost[:5])

    async def remember(self, acked: list) -> None:
        """One round trip per batch ($max: several relay replicas may write at once)."""
        touched: dict[tuple[str, int], int] = {}
        for m in acked:
            touched[(m.topic, m.partition)] = max(m.offset, touched.get((m.topic, m.partition), -1))
        if not touched:
            return
        for key, offset in touched.items():
            self.high[key] = max(offset, self.high.get(key, -1))
        async with write_lock(self.collection.database.client):
            await self.collection.bulk_write([UpdateOne(
                {"_id": f"{topic}/{partition}"}, {"$set": {"topic": topic, "partition": partition},
                                                   "$max": {"high": offset}}, upsert=True)
                for (topic, partition), offset in touched.items()], ordered=False)

    async def forget(self) -> None:
        """After a replay: the broker starts over from offset 0."""
        self.high = {}
        async with write_lock(self.collection.database.client):
            await self.collection.delete_many({})
