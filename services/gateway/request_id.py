"""Pure ASGI middleware, outermost: every request gets a request id, bound for logs, passed
on in gRPC metadata, and returned on every response (a 500 too: problems.on_unexpected); each
request ends with its access log line and metrics (access_log.py). The caller's `X-Request-Id` is kept
when it is 1-128 visible ASCII characters (what gRPC metadata and every log sink carry);
anything else (non-ASCII, tabs, spaces, control bytes) is replaced by a generated id.
Path parameters longer than MAX_PATH_PARAM characters are refused here, before any
service is called: 400 `invalid-input` naming the parameter."""

import json
import re
import time
from urllib.parse import quote

import structlog
from starlette.routing import compile_path

from services.common import logs
from services.gateway import access_log, problems

VISIBLE_ASCII = re.compile(rb"[\x21-\x7e]+")
MAX_PATH_PARAM = 256
PCHARS = "/:@!$&'()*+,;=-._~"   # RFC 3986 path characters kept as they are (the rest percent-encoded)


def request_id(headers: list[tuple[bytes, bytes]]) -> str:
    given = next((v for k, v in headers if k == b"x-request-id"), b"")
    return given[:128].decode("ascii") if VISIBLE_ASCII.fullmatch(given) else logs.new_request_id()


def oversized_param(scope) -> str | None:
    """The name of a path parameter that is too long ("path" when no documented path matches),
    or None. Only requests with a long path segment pay for the matching."""
    if all(len(part) <= MAX_PATH_PARAM for part in scope["path"].split("/")):
        return None
    app = scope.get("app")
    for template in (app.openapi().get("paths", {}) if hasattr(app, "openapi") else {}):
        found = compile_path(template)[0].match(scope["path"])
        long = [name for name, value in (found.groupdict() if found else {}).items() if len(value) > MAX_PATH_PARAM]
        if long:
            return long[0]
    return "path"


async def _refuse(send, field: str) -> None:
    body = json.dumps(problems.body(400, "invalid-input", f"{field} has at most {MAX_PATH_PARAM} characters",
                                    field=field)).encode()
    await send({"type": "http.response.start", "status": 400, "headers": [
        (b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class RequestId:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = request_id(scope["headers"])
        logs.request_id.set(rid)
        problems.instance.set(quote(scope["path"], safe=PCHARS))   # a URI reference, as RFC 9457 wants
        structlog.contextvars.bind_contextvars(request_id=rid)

        status = [500]
        started = time.perf_counter()

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                status[0] = message["status"]
                headers = list(message.get("headers", []))
                message["headers"] = [*headers, *access_log.extra_headers(scope, headers),
                                      (b"x-request-id", rid.encode("ascii"))]
            await send(message)

        try:
            field = oversized_param(scope)
            if field:
                return await _refuse(send_with_id, field)
            await self.app(scope, receive, send_with_id)
        finally:   # the access log line and the RED metrics
            access_log.record(scope, status[0], started)
