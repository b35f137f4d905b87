"""How a service runs faust-streaming workers (statistics, timers, matching): one factory
for the App from the same Kafka settings, and a decoder for our CloudEvents records. faust is
imported where an App is made, so only worker processes load it (the API processes do not:
about 10 MB of resident memory each)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from services.common import contracts
from services.common.envelope import Envelope

if TYPE_CHECKING:
    import faust


def app(name: str, kafka, **options) -> faust.App:
    """A faust App on the configured cluster; tables keep changelogs in Kafka."""
    import faust

    credentials = None
    if kafka.security_protocol.startswith("SASL"):
        opts = kafka.client_options()
        credentials = faust.SASLCredentials(username=kafka.sasl_username, password=kafka.sasl_password,
                                            mechanism=kafka.sasl_mechanism, ssl_context=opts.get("ssl_context"))
    elif kafka.security_protocol == "SSL":
        credentials = faust.SSLCredentials(kafka.client_options()["ssl_context"])
    servers = ";".join(f"kafka://{s.strip()}" for s in kafka.bootstrap_servers.split(","))
    return faust.App(name, broker=servers, broker_credentials=credentials, store="memory://",
                     web_enabled=False, topic_partitions=kafka.topic_partitions,
                     topic_replication_factor=kafka.replication_factor, producer_acks=-1,
                     consumer_auto_offset_reset="earliest",
                     broker_session_timeout=kafka.session_timeout_seconds,
                     broker_heartbeat_interval=kafka.heartbeat_seconds,
                     broker_rebalance_timeout=kafka.session_timeout_seconds, **options)


def source_topic(faust_app: faust.App, *names: str):
    """A faust topic over our CloudEvents topics; values stay raw bytes (protobuf)."""
    return faust_app.topic(*names, key_type=bytes, value_type=bytes, value_serializer="raw",
                           key_serializer="raw")


def decode(event) -> tuple[Envelope, object] | None:
    """(envelope, protobuf message) of a faust event, or None when it is not one of ours."""
    try:
        message = event.message
        envelope = Envelope.from_record(message.key, message.value, message.headers)
        contract = contracts.catalogue()[envelope.type]
        return envelope, contract.message.FromString(envelope.data)
    except (ValueError, KeyError):
        return None
