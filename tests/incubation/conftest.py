import uuid

import pytest
from aiokafka import AIOKafkaConsumer

from services.common.contracts import catalogue
from services.common.envelope import Envelope
from tests.conftest import eventually
from tests.incubation.support import Api


@pytest.fixture(scope="session")
async def gapi(platform):
    api = Api(platform.ports["incubation"])
    yield api
    await api.channel.close()


class TopicReader:
    """Reads a topic from the beginning; `wait_for(key, type)` returns decoded messages."""

    def __init__(self, kafka, topic: str):
        self.kafka, self.topic, self.seen = kafka, topic, []

    async def __aenter__(self):
        self.consumer = AIOKafkaConsumer(self.topic, group_id=f"t-{uuid.uuid4()}", auto_offset_reset="earliest",
                                         **self.kafka.client_options())
        await self.consumer.start()
        return self

    async def __aexit__(self, *exc):
        await self.consumer.stop()

    async def poll(self):
        batch = await self.consumer.getmany(timeout_ms=200)
        for records in batch.values():
            for r in records:
                env = Envelope.from_record(r.key, r.value, r.headers)
                self.seen.append((env, catalogue()[env.type].message.FromString(env.data)))

    def of(self, key: str, short_type: str | None = None):
        return [m for e, m in self.seen
                if e.subject == key and (short_type is None or e.type.endswith("." + short_type))]

    async def wait_for(self, key: str, short_type: str, count: int = 1, timeout: float = 8.0):  # noqa: ASYNC109
        async def check():
            await self.poll()
            return len(self.of(key, short_type)) >= count
        await eventually(check, timeout=timeout)
        return self.of(key, short_type)
