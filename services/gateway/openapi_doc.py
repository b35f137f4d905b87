"""What the generated OpenAPI document adds to FastAPI's: the typed success answer of every route
(routes/answers.py: protobuf messages' schemas written from their descriptors, the gateway's own
pydantic models), the `Idempotency-Key` request header on every POST that writes (guards.py), and
on every answer the response headers every client may read (`X-Request-Id`; `RateLimit` and
`RateLimit-Policy` for an authenticated caller)."""

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import BaseModel

from services.gateway import problem_types, proto_json_schema
from services.gateway.access import MATRIX
from services.gateway.routes.answers import Answer, answer_of

NOT_IDEMPOTENT = {"/api/v1/oauth/token", "/api/v1/oauth/revoke"}   # never replayed; revoking is idempotent
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key", "in": "header", "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[\\x21-\\x7e]+$"},
    "description": "Retry safely: the same key and body replay the first answer (Idempotent-Replayed: true) "
                   "and write nothing; the same key with another body is 422 idempotency-key-reused; "
                   "while the first is running, 409 with Retry-After. Per principal, kept 24 h.",
}
RESPONSE_HEADERS = {
    "X-Request-Id": {"description": "the request id (yours when valid); logs, traces and a 500's body name it",
                     "schema": {"type": "string"}},
    "RateLimit-Policy": {"description": 'IETF RateLimit draft, e.g. "default";q=300;w=60 (authenticated calls)',
                         "schema": {"type": "string"}},
    "RateLimit": {"description": 'requests left and seconds to reset, e.g. "default";r=299;t=60',
                  "schema": {"type": "string"}},
}


def install(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        doc = build()
        _type_answers(app, doc)
        for path, item in doc.get("paths", {}).items():
            for method, op in item.items():
                if method == "post" and path not in NOT_IDEMPOTENT:
                    op.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                for response in op.get("responses", {}).values():
                    response.setdefault("headers", {}).update(RESPONSE_HEADERS)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi


def flat_routes(routes) -> list:
    """The app's routes with included routers flattened (FastAPI ≥ 0.16x includes lazily)."""
    try:
        from fastapi.routing import _iter_included_route_candidates
    except ImportError:  # older FastAPI: app.routes is already flat
        return list(routes)
    return list(_iter_included_route_candidates(routes))


def _type_answers(app: FastAPI, doc: dict) -> None:
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(Problem=problem_types.PROBLEM_SCHEMA, FieldError=problem_types.FIELD_ERROR_SCHEMA)
    owners: dict[str, str] = {}   # short component name → the proto message it names

    def short_name(descriptor) -> str:
        if descriptor.name in schemas and descriptor.name not in owners:
            raise ValueError(f"{descriptor.full_name}: a request model is already named {descriptor.name}")
        if owners.setdefault(descriptor.name, descriptor.full_name) != descriptor.full_name:
            raise ValueError(f"two messages named {descriptor.name}: {owners[descriptor.name]}, "
                             f"{descriptor.full_name}")
        return descriptor.name

    for route in flat_routes(app.routes):
        if not isinstance(route, APIRoute) or route.path_format not in doc["paths"]:
            continue
        answer = answer_of(route.endpoint)
        schema = _schema(answer, schemas, short_name) if answer else None
        action = _action(route.dependant)
        for method in route.methods - {"HEAD", "OPTIONS"}:
            op = doc["paths"][route.path_format][method.lower()]
            if schema is not None:
                ok = op["responses"].setdefault(str(route.status_code or 200), {"description": "Successful Response"})
                ok["content"] = {answer.media_type: {"schema": schema}}
            if action:
                roles = ", ".join(sorted(MATRIX[action]))
                who = f"**Who may call**: {roles} (permission `{action}`; others get 403)."
                op["description"] = f"{op['description']}\n\n{who}" if op.get("description") else who
                op["x-permission"] = action
            else:
                public = "**Who may call**: anyone; no token is needed."
                op["description"] = f"{op['description']}\n\n{public}" if op.get("description") else public


def _action(dependant) -> str:
    """The permission a route's `require(action)` dependency checks (auth.py), if any."""
    for dep in dependant.dependencies:
        if (action := getattr(dep.call, "action", None)) or (action := _action(dep)):
            return action
    return ""


def _schema(answer: Answer, schemas: dict, short_name) -> dict:
    if isinstance(answer.shape, type) and issubclass(answer.shape, BaseModel):
        model = answer.shape.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(model.pop("$defs", {}))
        schemas[answer.shape.__name__] = model
        return proto_json_schema.ref(answer.shape.__name__)
    name = proto_json_schema.schema(answer.shape.DESCRIPTOR, schemas, short_name)
    if answer.page:
        schemas[name]["required"] = ["items", "next_cursor"]
    return proto_json_schema.ref(name)
