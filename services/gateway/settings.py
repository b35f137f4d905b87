"""Gateway settings (typed, read once). Every field is an environment variable of the same
name in upper case (e.g. OIDC_ISSUER, BOOTSTRAP_OPERATOR_USERNAME, RATE_LIMIT_REQUESTS)."""

from typing import Literal

from limits import parse_many
from pydantic import Field, field_validator

from services.common.settings import KafkaSettings, MongoSettings, ServiceSettings


class GatewaySettings(ServiceSettings):
    service_name: str = "gateway"
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8000, ge=0, le=65535)
    public_url: str = ""                      # e.g. https://api.bth.example.org (refused as webhook target)
    max_body_bytes: int = Field(default=1_048_576, gt=0)
    cors_allow_origins: str = ""              # comma-separated origins browsers may call from; empty: none
    # --- tokens we issue (RFC 8725: one fixed algorithm, kid, aud, iss, exp checked) ---
    jwt_algorithm: Literal["EdDSA", "ES256"] = "EdDSA"
    jwt_private_key: str = ""                 # PEM; empty: a dev key is generated at startup
    jwt_key_id: str = ""                      # defaults to the key's RFC 7638 thumbprint
    jwt_previous_public_keys: str = ""        # PEMs of retired keys still accepted (rotation), joined
    jwt_issuer: str = "https://bth-platform.local"
    jwt_audience: str = "bth-api"
    access_token_ttl_seconds: int = Field(default=900, ge=30, le=86_400)
    # --- an external OIDC issuer (e.g. Keycloak), optional ---
    oidc_issuer: str = ""
    oidc_jwks_url: str = ""
    oidc_audience: str = ""
    oidc_algorithms: str = "RS256,ES256,EdDSA"
    # --- accounts ---
    bootstrap_operator_username: str = ""
    bootstrap_operator_password: str = ""
    client_secret_grace_seconds: int = Field(default=3600, ge=0)   # old secret valid after rotation
    token_revocation_cache_seconds: float = Field(default=5.0, ge=0)  # how long an account's state is cached
    password_hash_workers: int = Field(default=2, ge=1, le=32)     # threads that run argon2 (off the loop)
    login_account_limits: str = "5/minute;20/hour"   # failed logins per account before 429 (limits syntax)
    login_ip_limits: str = "20/minute;200/hour"      # failed logins per client address before 429
    # --- guards ---
    rate_limit_requests: int = Field(default=300, gt=0)            # per principal per window
    rate_limit_window_seconds: int = Field(default=60, gt=0)
    idempotency_ttl_seconds: int = Field(default=86_400, gt=0)
    idempotency_lease_seconds: float = Field(default=30.0, gt=0)          # a crashed request frees its key
    idempotency_store_timeout_seconds: float = Field(default=2.0, gt=0)   # then 503 + Retry-After
    # --- partner event delivery ---
    delivery_in_process: bool = True          # run feed ingestion + webhook delivery in the gateway
    feed_long_poll_max_seconds: float = Field(default=30.0, ge=0)
    webhook_timeout_seconds: float = Field(default=5.0, gt=0)
    webhook_retry_base_seconds: float = Field(default=1.0, gt=0)
    webhook_retry_max_seconds: float = Field(default=1800.0, gt=0)
    webhook_retry_horizon_seconds: float = Field(default=86_400.0, gt=0)
    webhook_allow_private_networks: bool = False  # dev only: allow private/loopback/link-local targets
    webhook_max_in_flight: int = Field(default=16, ge=1)                 # concurrent attempts overall
    webhook_max_in_flight_per_subscription: int = Field(default=4, ge=1)  # and per subscription
    delivery_poll_seconds: float = Field(default=0.2, gt=0)     # the shortest wait between delivery rounds
    delivery_idle_seconds: float = Field(default=30.0, gt=0)    # the longest: a round is woken by new events,
    #                                                             subscriptions and finished senders, or by
    #                                                             the next retry's due time (no polling at rest)
    idempotency_sweep_seconds: float = Field(default=300.0, gt=0)   # expired idempotency records deleted
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    mongo: MongoSettings = Field(default_factory=MongoSettings)

    @field_validator("login_account_limits", "login_ip_limits")
    @classmethod
    def _rate_limits(cls, value: str) -> str:
        parse_many(value)   # e.g. "5/minute;20/hour"; raises ValueError naming the bad part
        return value
