"""Prometheus metrics shared by every process; each process serves /metrics on its own port."""

from prometheus_client import Counter, Histogram, start_http_server

OUTBOX_PUBLISHED = Counter("bth_outbox_published_total", "Events published from the outbox", ["topic"])
OUTBOX_FAILURES = Counter("bth_outbox_publish_failures_total", "Failed outbox publish attempts")
EVENTS_CONSUMED = Counter("bth_events_consumed_total", "Events applied by consumers", ["group", "type"])
EVENTS_DUPLICATE = Counter("bth_events_duplicate_total", "Redelivered events skipped", ["group"])
EVENTS_DEAD_LETTERED = Counter("bth_events_dead_lettered_total", "Records sent to the DLQ", ["group"])
TIMER_RUNS = Counter("bth_timer_runs_total", "Worker timer rounds by outcome", ["timer", "outcome"])
GRPC_LATENCY = Histogram("bth_grpc_server_seconds", "gRPC handling time", ["method", "code"])


def serve(port: int) -> None:
    """Start the /metrics listener (a daemon thread); port 0 disables it."""
    if port:
        start_http_server(port, addr="0.0.0.0")
