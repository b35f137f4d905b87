"""The gateway's own Prometheus metrics (RED for its HTTP API, webhook delivery, feed
ingestion); the services' metrics (outbox, consumers, gRPC, timers) live in
services/common/metrics.py, which the gateway never imports, so its /metrics shows only what
it measures."""

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("bth_http_requests_total", "HTTP requests served", ["method", "route", "status"])
HTTP_LATENCY = Histogram("bth_http_request_seconds", "HTTP request handling time", ["method", "route", "status"])
WEBHOOK_ATTEMPTS = Counter("bth_webhook_attempts_total", "Webhook delivery attempts by outcome "
                           "(delivered, http_error: a non-2xx answer, transport_error: no answer)", ["outcome"])
WEBHOOK_FAILED = Counter("bth_webhook_deliveries_failed_total", "Webhook delivery attempts that failed")
WEBHOOK_GAVE_UP = Counter("bth_webhook_deliveries_given_up_total", "Deliveries that failed past the retry horizon")
WEBHOOK_LATENCY = Histogram("bth_webhook_attempt_seconds", "Time of one webhook delivery attempt", ["outcome"])
FEED_LAG = Gauge("bth_feed_ingestion_lag", "Records the feed ingestion has still to read", ["topic", "partition"])
FEED_STORED = Counter("bth_feed_events_stored_total", "Events stored in the feed (once per event id)")
