"""The route template of a request for its HTTP server span (`http.route`), matched among the
routes whose literal prefix the path starts with. opentelemetry-instrumentation-fastapi matches
each request against every route of the app (about 140 here: ~1 ms a request); matching the few
candidates, in the same order, gives the same answer (tests/unit/test_span_routes.py)."""

from weakref import WeakKeyDictionary

from opentelemetry.instrumentation import fastapi as otel_fastapi
from starlette.routing import Match, Route

LIBRARY = otel_fastapi._get_route_details          # the whole-table scan this replaces
_INDEXES: WeakKeyDictionary = WeakKeyDictionary()   # app → its routes with their literal prefixes


def _prefix(route) -> str:
    path = getattr(route, "path", None)
    return path.split("{", 1)[0] if isinstance(path, str) else ""


def route_details(scope) -> str | None:
    app, path = scope["app"], scope.get("path", "")
    routes = _INDEXES.get(app)
    if routes is None:   # built at the first request, when the app's routes are final
        routes = _INDEXES[app] = [(_prefix(r), r) for r in otel_fastapi._flatten_routes(app.routes)]
    found = None
    for prefix, route in routes:
        if not path.startswith(prefix):
            continue
        match, _ = Route.matches(route, scope) if isinstance(route, Route) else route.matches(scope)
        if match == Match.FULL:
            return getattr(route, "path", path)
        if match == Match.PARTIAL:
            found = route.path
    return found


def install() -> None:
    otel_fastapi._get_route_details = route_details
