"""Request guards as one ASGI middleware: the request size limit (413) and idempotent
POSTs (Idempotency-Key; the rules, the lease and the store time limits in idempotency.py)."""

import json

import jwt

from services.common.clock import SystemClock
from services.gateway import idempotency, problems
from services.gateway.auth import authenticate

CLOCK = SystemClock()


def _problem(status: int, kind: str, detail: str) -> tuple[int, list, bytes]:
    body = json.dumps(problems.body(status, kind, detail)).encode()
    return status, [(b"content-type", b"application/problem+json"), (b"content-length", str(len(body)).encode())], body


async def _send(send, status: int, headers: list, body: bytes) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class Guards:
    def __init__(self, app, max_body_bytes: int):
        self.app, self.max_body_bytes = app, max_body_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS", "DELETE"):
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
            return await _send(send, *_problem(413, "payload-too-large",
                                               f"the body may have at most {self.max_body_bytes} bytes"))
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return await _send(send, *_problem(413, "payload-too-large",
                                                   f"the body may have at most {self.max_body_bytes} bytes"))
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return {"type": "http.disconnect"}
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        key = headers.get(b"idempotency-key")
        if scope["method"] != "POST" or key is None:
            return await self.app(scope, replay, send)
        return await self.idempotent(scope, replay, send, headers, key.decode("latin-1"), body)

    async def idempotent(self, scope, receive, send, headers, key: str, body: bytes):
        if not 1 <= len(key) <= 255:
            return await _send(send, *_problem(400, "invalid-idempotency-key",
                                               "the Idempotency-Key header has 1 to 255 characters"))
        state = scope["app"].state
        settings = state.settings
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if not auth.lower().startswith("bearer "):
            return await self.app(scope, receive, send)
        try:
            limit = settings.idempotency_store_timeout_seconds
            subject = (await idempotency.bounded(authenticate(state, auth[7:]), limit)).subject
        except (jwt.PyJWTError, KeyError, ValueError):
            return await self.app(scope, receive, send)   # the route answers 401
        except idempotency.StoreUnavailable as exc:
            return await _send(send, *_unavailable(str(exc)))
        if not subject:
            return await self.app(scope, receive, send)
        col = state.db["idempotency"]
        record_id = f"{subject}\n{key}"
        fp = idempotency.fingerprint(scope["path"], scope.get("query_string") or b"", body)
        try:
            stored = await idempotency.claim(col, record_id, fp, CLOCK.now(), settings)
        except idempotency.StoreUnavailable as exc:
            return await _send(send, *_unavailable(str(exc)))
        except idempotency.Conflict as exc:
            status, kind, _title, detail, retry_after = exc.args
            status, out, problem_body = _problem(status, kind, detail)
            if retry_after:
                out.append((b"retry-after", str(retry_after).encode()))
            return await _send(send, status, out, problem_body)
        if stored is not None:
            out = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored["headers"]]
            out.append((b"idempotent-replayed", b"true"))
            return await _send(send, stored["status"], out, bytes(stored["body"]))
        captured = {"status": 500, "headers": [], "body": []}

        async def capture(message):
            if message["type"] == "http.response.start":
                captured["status"], captured["headers"] = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
            await send(message)
        try:
            await self.app(scope, receive, capture)
        finally:
            await idempotency.finish(col, record_id, captured["status"], captured["headers"],
                                     b"".join(captured["body"]), settings)


def _unavailable(detail: str) -> tuple[int, list, bytes]:
    status, headers, body = _problem(503, "store-unavailable",
                                     f"{detail}; retry with the same Idempotency-Key")
    return status, headers + [(b"retry-after", b"1")], body
