"""Kafka administration: reach the broker (with one clear line when it is missing) and
create the topics a process uses, idempotently, with partitions from configuration."""

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, KafkaError, TopicAlreadyExistsError

from services.common import contracts


def dlq_topic(service: str) -> str:
    return f"bth.{service}.dlq.v1"


async def create_missing(kafka, topics: list[str] | None = None) -> list[str]:
    """Create missing topics (default: every event topic in proto/); returns those created.
    Raises KafkaError (KafkaConnectionError when the broker is away): for supervised loops."""
    wanted = sorted(set(topics or contracts.topics()))
    admin = AIOKafkaAdminClient(request_timeout_ms=5000, **kafka.client_options())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if missing:
            try:
                await admin.create_topics([
                    NewTopic(t, kafka.topic_partitions, kafka.replication_factor,
                             topic_configs={"retention.ms": str(kafka.topic_retention_ms)})
                    for t in missing])
            except TopicAlreadyExistsError:
                pass
        return missing
    finally:
        await admin.close()


async def ensure_topics(kafka, topics: list[str] | None = None) -> list[str]:
    """create_missing at start-up: a missing broker or a refusal stops the process with one line."""
    try:
        return await create_missing(kafka, topics)
    except KafkaConnectionError:
        raise SystemExit(
            f"Kafka is not reachable at {kafka.bootstrap_servers}. Start the embedded broker with "
            "`make run`, or set KAFKA_BOOTSTRAP_SERVERS (and KAFKA_SECURITY_PROTOCOL/SASL_*)."
        ) from None
    except KafkaError as exc:
        raise SystemExit(f"Kafka at {kafka.bootstrap_servers} refused topic creation: {exc}") from None
