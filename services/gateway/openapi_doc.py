"""What the generated OpenAPI document adds to FastAPI's: the `Idempotency-Key` request header
on every POST that writes (guards.py), and on every answer the response headers every client
may read (`X-Request-Id`; `RateLimit` and `RateLimit-Policy` for an authenticated caller)."""

from fastapi import FastAPI

NOT_IDEMPOTENT = {"/api/v1/oauth/token"}   # a token request is never replayed
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
        for path, item in doc.get("paths", {}).items():
            for method, op in item.items():
                if method == "post" and path not in NOT_IDEMPOTENT:
                    op.setdefault("parameters", []).append(IDEMPOTENCY_KEY)
                for response in op.get("responses", {}).values():
                    response.setdefault("headers", {}).update(RESPONSE_HEADERS)
        app.openapi_schema = doc
        return doc

    app.openapi = openapi
