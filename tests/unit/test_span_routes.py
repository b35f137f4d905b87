"""The span's route template (no I/O): for a request to every route of the gateway, and to
paths no route has, the indexed lookup answers what opentelemetry-instrumentation-fastapi's
own whole-table scan answers."""

import re

from opentelemetry.instrumentation import fastapi as otel_fastapi

from services.gateway import span_routes
from services.gateway.app import create_app
from services.gateway.settings import GatewaySettings


def _scope(app, method: str, path: str) -> dict:
    return {"type": "http", "app": app, "method": method, "path": path, "root_path": "", "query_string": b"",
            "headers": []}


def test_every_route_and_unknown_paths_resolve_as_the_library_resolves_them():
    app = create_app(GatewaySettings())
    original = span_routes.LIBRARY
    assert original is not span_routes.route_details and otel_fastapi._get_route_details is span_routes.route_details
    cases = []
    for route in otel_fastapi._flatten_routes(app.routes):
        path = getattr(route, "path", "")
        methods = sorted(getattr(route, "methods", None) or {"GET"})
        concrete = re.sub(r"\{[^}]+\}", "x-1", path)
        cases += [(m, concrete) for m in methods]
    cases += [("GET", "/nowhere"), ("GET", "/api/v1/nothing/here"), ("POST", "/healthz"), ("GET", "/console/cases"),
              ("GET", "/api/v1/achievements/x-1/unknown")]
    assert len(cases) >= 130
    for method, path in cases:
        scope = _scope(app, method, path)
        assert span_routes.route_details(scope) == original(scope), (method, path)
    assert span_routes.route_details(_scope(app, "GET", "/api/v1/achievements/ach-9")) == \
        "/api/v1/achievements/{achievement_id}"
