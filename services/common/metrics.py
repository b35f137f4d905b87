"""Prometheus metrics of the domain services (outbox, consumers, timers, gRPC); each process
serves /metrics on its own port. The gateway's are in services/gateway/metrics.py. A gRPC
call is labelled with its status `code` (the gRPC code name) and, when a domain rule refused
it, the domain `error_kind` (e.g. invalid-input, transition-refused; "" otherwise)."""

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
GRPC_LATENCY = Histogram("bth_grpc_server_seconds", "gRPC handling time", ["method", "code", "error_kind"])


def serve(port: int) -> None:
    """Start the /metrics listener (a daemon thread); port 0 disables it."""
    if port:
        start_http_server(port, addr="0.0.0.0")
