"""Typed settings, read once from the environment. A bad value stops the process with one
clear line naming the variable (see README "Configuration")."""

import sys
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore")

    bootstrap_servers: str = "127.0.0.1:9092"
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] = "SCRAM-SHA-512"
    sasl_username: str = ""
    sasl_password: str = ""
    ssl_cafile: str = ""
    enable_idempotence: bool = False  # True on real Kafka; Tansu's InitProducerId fails
    topic_partitions: int = Field(default=4, ge=1)
    replication_factor: int = Field(default=1, ge=1)
    session_timeout_seconds: float = Field(default=10.0, gt=0)  # consumer groups (joins wait about half)
    heartbeat_seconds: float = Field(default=3.0, gt=0)
    topic_retention_ms: int = Field(default=7 * 24 * 3600 * 1000, ge=-1)  # -1: keep forever

    def client_options(self) -> dict:
        """Keyword arguments for aiokafka clients (producer, consumer, admin)."""
        options: dict = {"bootstrap_servers": self.bootstrap_servers,
                          "security_protocol": self.security_protocol}
        if self.security_protocol.startswith("SASL"):
            options |= {"sasl_mechanism": self.sasl_mechanism,
                        "sasl_plain_username": self.sasl_username,
                        "sasl_plain_password": self.sasl_password}
        if self.security_protocol.endswith("SSL"):
            from aiokafka.helpers import create_ssl_context

            options["ssl_context"] = create_ssl_context(cafile=self.ssl_cafile or None)
        return options


class MongoSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MONGO_", extra="ignore")

    uri: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    db: str = ""  # defaults to the service name
    serialize_writes: bool = True  # one transaction at a time per process; false on a real replica set


class ServiceSettings(BaseSettings):
    """Settings of one domain service process (registry, procurement, incubation)."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "service"
    grpc_host: str = "127.0.0.1"
    grpc_port: int = Field(default=50051, ge=0, le=65535)
    metrics_port: int = Field(default=0, ge=0, le=65535)  # 0: no /metrics, /healthz, /readyz listener
    heartbeat_max_age_seconds: float = Field(default=30.0, gt=0)  # /healthz fails when the loop stalls longer
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "console"] = "json"
    registry_addr: str = "127.0.0.1:50051"
    procurement_addr: str = "127.0.0.1:50052"
    incubation_addr: str = "127.0.0.1:50053"
    grpc_timeout_seconds: float = Field(default=5.0, gt=0)
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    outbox_replay_seconds: float = Field(default=86400.0, ge=0)  # republished after the broker lost data
    internal_auth_key: SecretStr = SecretStr("")  # signs service-to-service identity; every process shares it
    consumer_max_retries: int = Field(default=3, ge=0)
    otel_exporter_otlp_endpoint: str = ""   # e.g. http://otel-collector:4318; empty: traces are not exported
    dev_clock_file: str = ""  # development only: the movable clock's offset file (services/common/dev_clock.py)
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    mongo: MongoSettings = Field(default_factory=MongoSettings)

    @property
    def database(self) -> str:
        return self.mongo.db or self.service_name


def load[T: BaseSettings](cls: type[T], **overrides) -> T:
    """Read settings once; on a bad value print which variable is wrong and exit."""
    try:
        return cls(**overrides)
    except ValidationError as exc:
        nested = {c.__name__: c.model_config.get("env_prefix", "") for c in (KafkaSettings, MongoSettings)}
        prefix = nested.get(exc.title, "")
        for err in exc.errors():
            name = prefix.upper() + "_".join(str(p) for p in err["loc"]).upper()
            print(f"configuration error: {name}: {err['msg']} (got {err.get('input')!r})", file=sys.stderr)
        raise SystemExit(2) from None
