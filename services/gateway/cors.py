"""CORS for browser clients on other origins: off unless CORS_ALLOW_ORIGINS lists origins
(comma-separated, exact `https://host[:port]`; `*` allows any). Starlette's middleware,
answering a preflight from an allowed origin with 204 and a refused one with a 400 problem.
Bearer tokens, not cookies: credentials are not allowed. The headers a client may read
include the request id, the rate-limit headers and Retry-After."""

import json

from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response

from services.gateway import problems

ALLOW_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"]
EXPOSE_HEADERS = ["X-Request-Id", "RateLimit", "RateLimit-Policy", "Retry-After", "Idempotent-Replayed", "Location"]
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


def origins(setting: str) -> list[str]:
    return [o.strip().rstrip("/") for o in setting.split(",") if o.strip()]


class Cors(CORSMiddleware):
    def __init__(self, app, allow_origins: list[str]):
        super().__init__(app, allow_origins=allow_origins, allow_methods=METHODS, allow_headers=ALLOW_HEADERS,
                         expose_headers=EXPOSE_HEADERS, allow_credentials=False, max_age=600)

    def preflight_response(self, request_headers) -> Response:
        answer = super().preflight_response(request_headers)
        headers = {k: v for k, v in answer.headers.items() if k not in ("content-length", "content-type")}
        if answer.status_code == 200:
            return Response(status_code=204, headers=headers)
        body = problems.body(400, "cors-refused", answer.body.decode())
        return Response(json.dumps(body), status_code=400, headers=headers, media_type="application/problem+json")
