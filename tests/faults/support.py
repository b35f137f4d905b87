"""Helpers of the fault tests: an own broker per test (a restart must not disturb others),
and records of each kind (a good event, and poison)."""

import asyncio
import uuid
from datetime import UTC, datetime

from aiokafka import AIOKafkaProducer

from services import devinfra
from services.common import contracts
from services.common.envelope import Envelope
from services.common.settings import KafkaSettings

TYPE = "bth.incubation.v1.CaseAccepted"


def event(subject: str, type_: str = TYPE, data: bytes | None = None) -> Envelope:
    contract = contracts.catalogue().get(TYPE)
    body = contract.message().SerializeToString() if data is None else data
    return Envelope(id=str(uuid.uuid4()), type=type_, source="/bth/faults", subject=subject,
                    time=datetime.now(UTC), data=body)


def topic() -> str:
    return contracts.catalogue()[TYPE].topic


async def publish(kafka: KafkaSettings, *records) -> None:
    """Each record: an Envelope, or (key, value, headers) as raw poison."""
    producer = AIOKafkaProducer(acks="all", **kafka.client_options())
    await producer.start()
    try:
        for r in records:
            key, value, headers = r.to_record() if isinstance(r, Envelope) else r
            await producer.send_and_wait(topic(), value=value, key=key, headers=headers)
    finally:
        await producer.stop()


async def own_broker(port: int | None = None):
    port = port or devinfra.free_port()
    proc = await asyncio.to_thread(devinfra.start_kafka, port)
    kafka = KafkaSettings(bootstrap_servers=f"127.0.0.1:{port}", session_timeout_seconds=3.0, heartbeat_seconds=1.0)
    return proc, port, kafka
