"""Pure ASGI middleware: every request gets a request id (the caller's X-Request-Id or a new
one), bound for logs, passed on in gRPC metadata, and returned on every response."""

import structlog

from services.common import logs


class RequestId:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")[:128]
        rid = given or logs.new_request_id()
        logs.request_id.set(rid)
        structlog.contextvars.bind_contextvars(request_id=rid)

        async def send_with_id(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        await self.app(scope, receive, send_with_id)
