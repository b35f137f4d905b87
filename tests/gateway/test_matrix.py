"""The full authorisation matrix, generated from access.MATRIX and the app's routes: every
role against every route guarded by `require(action)` — allowed roles get neither 401 nor
403, refused roles get a 403 problem."""

import re
import uuid

import httpx

from services.gateway.access import MATRIX, ROLES
from services.gateway.app import create_app
from services.gateway.settings import GatewaySettings
from tests.support.identity import bearer

PUBLIC = {"/healthz", "/readyz", "/api/v1/oauth/token", "/api/v1/oauth/revoke", "/.well-known/jwks.json",
          "/api/v1/asyncapi.json", "/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"}


def _action(dependant) -> str | None:
    for dep in dependant.dependencies:
        action = getattr(dep.call, "action", None) or _action(dep)
        if action:
            return action
    return None


def flat_routes(app) -> list:
    """The app's routes with included routers flattened (FastAPI ≥ 0.16x includes lazily)."""
    try:
        from fastapi.routing import _iter_included_route_candidates
    except ImportError:  # older FastAPI: app.routes is already flat
        return list(app.routes)
    return list(_iter_included_route_candidates(app.routes))


def guarded_routes() -> list[tuple[str, str, str]]:
    app = create_app(GatewaySettings())
    found = []
    for route in flat_routes(app):
        dependant = getattr(route, "dependant", None)
        if dependant is None or route.path.startswith(("/docs", "/openapi", "/redoc")):
            continue
        action = _action(dependant)
        if action is None:
            assert route.path in PUBLIC, f"{route.path} has no require(action) and is not public"
            continue
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            found.append((method, route.path, action))
    return found


async def test_every_route_is_guarded_and_every_action_is_in_the_matrix():
    routes = guarded_routes()
    assert len(routes) >= 15
    assert {a for _, _, a in routes} <= set(MATRIX)


async def test_every_role_against_every_route(platform):
    routes = guarded_routes()
    run = uuid.uuid4().hex[:6]
    failures = []
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        for role in ROLES:
            headers = bearer(f"matrix-{role}-{run}", "org-matrix", "TIANJIN", role)
            for method, path, action in routes:
                url = re.sub(r"\{[^}]+\}", "matrix-x", path)
                r = await c.request(method, url, headers=headers, json={} if method in ("POST", "PUT", "PATCH")
                                    else None)
                allowed = role in MATRIX[action]
                if allowed and r.status_code in (401, 403):
                    failures.append(f"{role} {method} {path} ({action}) allowed but got {r.status_code}: {r.text}")
                if not allowed and (r.status_code != 403 or not r.json()["type"].endswith("/forbidden")):
                    failures.append(f"{role} {method} {path} ({action}) refused but got {r.status_code}")
    assert not failures, "\n".join(failures)


def test_listing_actions_are_guarded_by_what_the_service_allows():
    """suspend/reinstate: operators only; renew: the vendor (own listing) or an operator —
    not `procurement.read`, which every role has."""
    routes = {(m, p): a for m, p, a in guarded_routes() if "/procurement/products/{product_id}/" in p}
    base = "/api/v1/procurement/products/{product_id}"
    assert {k: v for k, v in routes.items() if k[1].rsplit("/", 1)[1] in {"suspend", "reinstate", "renew"}} == {
        ("POST", f"{base}/suspend"): "procurement.operate", ("POST", f"{base}/reinstate"): "procurement.operate",
        ("POST", f"{base}/renew"): "procurement.apply"}
    assert MATRIX["procurement.operate"] == {"operator"} and MATRIX["procurement.apply"] == {"enterprise", "operator"}
