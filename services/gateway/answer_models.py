"""What the gateway itself answers (accounts, webhooks, the feed, tokens, discovery, health, the
development clock): the schemas of these answers in the OpenAPI document (`-> Reply[AccountOut]`).
The services' answers are their proto messages; these are the gateway's own records. Answers
only, so they live outside routes/, whose models are request bodies."""

from typing import Any

from pydantic import BaseModel, Field


class Me(BaseModel):
    subject: str
    organisation: str
    region: str
    roles: list[str]


class AccountOut(BaseModel):
    account_id: str
    kind: str = Field(description="user | client")
    display_name: str
    organisation: str
    region: str
    roles: list[str]
    disabled: bool
    created_at: str = Field(description="RFC 3339, UTC")
    updated_at: str = Field(description="RFC 3339, UTC")


class ClientCreated(AccountOut):
    client_secret: str = Field(description="shown once")


class SecretRotated(ClientCreated):
    previous_secret_valid_seconds: int


class AccountPage(BaseModel):
    items: list[AccountOut]
    next_cursor: str


class SubscriptionOut(BaseModel):
    subscription_id: str
    url: str
    event_types: list[str]
    description: str
    active: bool
    owner: str
    region: str
    created_at: str


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="Standard Webhooks signing secret (whsec_…), shown once")


class SubscriptionPage(BaseModel):
    items: list[SubscriptionOut]
    next_cursor: str


class DeliveryOut(BaseModel):
    delivery_id: str
    subscription_id: str
    event_id: str
    event_type: str
    subject: str
    sequence: str
    state: str = Field(description="pending | delivered | failed | cancelled")
    attempts: int
    last_status: int | None
    last_error: str
    created_at: str
    next_attempt_at: str | None
    delivered_at: str | None


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str


class Redeliveries(BaseModel):
    redelivery_ids: list[str]
    count: int | None = None


class CloudEvent(BaseModel):
    """A CloudEvent in JSON form; `data` is the event message's JSON mapping (see the AsyncAPI
    document's x-json-schema of each type)."""

    specversion: str
    id: str
    source: str
    type: str
    subject: str
    time: str
    datacontenttype: str
    sequence: str = Field(description="orderable (zero-padded), also a cursor")
    data: dict[str, Any]
    traceparent: str | None = Field(default=None, description="W3C trace context the event was written in")


class FeedPage(BaseModel):
    items: list[CloudEvent]
    next_cursor: str = Field(description="the position after this page (never empty)")


class Token(BaseModel):
    access_token: str = Field(description="a JWT (typ at+jwt, RFC 9068)")
    token_type: str
    expires_in: int
    scope: str


class Revoked(BaseModel):
    """RFC 7009: an empty object."""


class Jwks(BaseModel):
    keys: list[dict[str, Any]]


class ServerMetadata(BaseModel):
    """RFC 8414 authorization-server metadata."""

    issuer: str
    token_endpoint: str
    jwks_uri: str
    grant_types_supported: list[str]
    response_types_supported: list[str]
    scopes_supported: list[str]
    token_endpoint_auth_methods_supported: list[str]
    revocation_endpoint: str
    revocation_endpoint_auth_methods_supported: list[str]
    service_documentation: str


class Alive(BaseModel):
    status: str


class FeedStatus(BaseModel):
    ready: bool
    reason: str
    broker_data_lost: Any = None


class Readiness(BaseModel):
    status: str = Field(description="ready | not-ready (503)")
    mongo: str
    kafka: str
    services: dict[str, str] = Field(description="each service's gRPC health (reported, not required)")
    feed: FeedStatus | None = None


class Clock(BaseModel):
    now: str
    offset_seconds: float


class ClockAdvanced(Clock):
    applied: dict[str, list[str]] = Field(description="what became due, by sweep: the ids it changed")
    deferred: list[str] = Field(description="sweeps whose service was busy (they run at their next tick)")


class AsyncApiDocument(BaseModel):
    asyncapi: str
    info: dict[str, Any]
    servers: dict[str, Any]
    channels: dict[str, Any]
    operations: dict[str, Any]
    components: dict[str, Any]
