"""One process of the consumer scaling benchmark (test_scaling.py): an EventConsumer of the given
group applying the benchmark's events, each in a unit of work with its inbox mark, until stopped.
    python -m tests.bench.consumer_process BOOTSTRAP MONGO_URI DB GROUP"""

import asyncio
import sys

from services.common import mongo
from services.common.clock import SystemClock
from services.common.consumer import EventConsumer
from services.common.outbox import Outbox
from services.common.settings import KafkaSettings

TYPE = "bth.registry.v1.AchievementSubmitted"


async def main(bootstrap: str, uri: str, db_name: str, group: str) -> None:
    client = mongo.connect(uri)
    outbox = Outbox(client[db_name], "/bth/bench", SystemClock())

    async def handler(message, envelope, uow):   # the work is the unit of work itself: inbox mark + commit
        return None
    consumer = EventConsumer(group, KafkaSettings(bootstrap_servers=bootstrap), {TYPE: handler},
                             lambda: mongo.UnitOfWork(client, db_name, outbox, "bth.registry.v1"), "bench.dlq")
    await consumer.run()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5]))
