"""Gateway settings (typed, read once)."""

from pydantic import Field

from services.common.settings import KafkaSettings, MongoSettings, ServiceSettings


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=0, le=65535)
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    jwt_secret: str = Field(default="dev-only-change-me-0123456789abcdef", min_length=32)
    jwt_issuer: str = "https://bth-platform.local"
    jwt_audience: str = "bth-api"
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    mongo: MongoSettings = Field(default_factory=MongoSettings)
