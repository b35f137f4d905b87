"""What the gateway records of every request it answered: one `http.request` log line (method,
route template, status, duration, principal; the request id comes from the bound context)
and the RED metrics by route template (never by raw path: ids would explode the labels).
The rate-limit headers a request's check produced (auth.require) are added to its response
whatever the status, 4xx included."""

import time

from services.common import logs
from services.gateway import metrics

LOG = logs.get("gateway.access")


def route_of(scope) -> str:
    return getattr(scope.get("route"), "path", "unmatched")


def extra_headers(scope, headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The rate-limit headers of this request's principal, unless the response has them."""
    given = scope.get("state", {}).get("ratelimit_headers") or {}
    present = {name.lower() for name, _ in headers}
    return [(k.lower().encode(), v.encode()) for k, v in given.items() if k.lower().encode() not in present]


def record(scope, status: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    method, route = scope["method"], route_of(scope)
    metrics.HTTP_REQUESTS.labels(method, route, str(status)).inc()
    metrics.HTTP_LATENCY.labels(method, route, str(status)).observe(elapsed)
    LOG.info("http.request", method=method, route=route, status=status, duration_ms=round(elapsed * 1000, 2),
             principal=scope.get("state", {}).get("principal", ""))
