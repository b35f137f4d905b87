"""Prometheus metrics shared by every process; each process serves /metrics on its own port."""

from prometheus_client import Counter, Gauge, Histogram, start_http_server

OUTBOX_PUBLISHED = Counter("bth_outbox_published_total", "Events published from the outbox", ["topic"])
OUTBOX_FAILURES = Counter("bth_outbox_publish_failures_total", "Failed outbox publish attempts")
EVENTS_CONSUMED = Counter("bth_events_consumed_total", "Events applied by consumers", ["group", "type"])
EVENTS_DUPLICATE = Counter("bth_events_duplicate_total", "Redelivered events skipped", ["group"])
EVENTS_DEAD_LETTERED = Counter("bth_events_dead_lettered_total", "Records sent to the DLQ", ["group"])
TIMER_RUNS = Counter("bth_timer_runs_total", "Worker timer rounds by outcome", ["timer", "outcome"])
CONSUMER_LAG = Gauge("bth_consumer_lag", "Records a consumer group has still to read", ["group", "topic", "partition"])
OUTBOX_OLDEST_PENDING = Gauge("bth_outbox_oldest_pending_age_seconds",
                              "Age of the oldest outbox record not yet published (0: none)")
WEBHOOK_ATTEMPTS = Counter("bth_webhook_attempts_total", "Webhook delivery attempts by outcome", ["outcome"])
WEBHOOK_FAILED = Counter("bth_webhook_deliveries_failed_total", "Webhook delivery attempts that failed")
WEBHOOK_LATENCY = Histogram("bth_webhook_attempt_seconds", "Time of one webhook delivery attempt")
HTTP_REQUESTS = Counter("bth_http_requests_total", "HTTP requests served", ["method", "route", "status"])
HTTP_LATENCY = Histogram("bth_http_request_seconds", "HTTP request handling time", ["method", "route"])
GRPC_LATENCY = Histogram("bth_grpc_server_seconds", "gRPC handling time", ["method", "code"])


def serve(port: int) -> None:
    """Start the /metrics listener (a daemon thread); port 0 disables it."""
    if port:
        start_http_server(port, addr="0.0.0.0")
