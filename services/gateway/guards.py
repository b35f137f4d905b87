"""Request guards as one ASGI middleware: the request size limit (413) and idempotent
POSTs. With an `Idempotency-Key` header, a POST's response is stored per principal and key
in MongoDB (`idempotency`): the same key with the same body replays the stored response
(`Idempotent-Replayed: true`) and writes nothing again; the same key with another body is
422; while the first request is still running a retry gets 409. 5xx responses are not
stored (the client may retry)."""

import hashlib
import json
from datetime import timedelta

import jwt
from pymongo.errors import DuplicateKeyError

from services.common.clock import SystemClock
from services.gateway.auth import authenticate
from services.gateway.problems import BASE

CLOCK = SystemClock()


def _problem(status: int, kind: str, title: str, detail: str) -> tuple[int, list, bytes]:
    body = json.dumps({"type": BASE + kind, "title": title, "status": status, "detail": detail}).encode()
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
            return await _send(send, *_problem(413, "payload-too-large", "Payload too large",
                                               f"the body may have at most {self.max_body_bytes} bytes"))
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return await _send(send, *_problem(413, "payload-too-large", "Payload too large",
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
            return await _send(send, *_problem(400, "invalid-idempotency-key", "Invalid Idempotency-Key",
                                               "the Idempotency-Key header has 1 to 255 characters"))
        state = scope["app"].state
        auth = headers.get(b"authorization", b"").decode("latin-1")
        try:
            subject = (await authenticate(state, auth[7:])).subject if auth.lower().startswith("bearer ") else ""
        except (jwt.PyJWTError, KeyError, ValueError):
            return await self.app(scope, receive, send)   # the route answers 401
        if not subject:
            return await self.app(scope, receive, send)
        fingerprint = hashlib.sha256(scope["path"].encode() + b"\n" + (scope.get("query_string") or b"")
                                     + b"\n" + body).hexdigest()
        col = state.db["idempotency"]
        record_id = f"{subject}\n{key}"
        now = CLOCK.now()
        try:
            await col.insert_one({"_id": record_id, "fingerprint": fingerprint, "state": "running",
                                  "created_at": now,
                                  "expires_at": now + timedelta(seconds=state.settings.idempotency_ttl_seconds)})
        except DuplicateKeyError:
            stored = await col.find_one({"_id": record_id})
            if stored and stored["expires_at"] <= now:
                await col.delete_one({"_id": record_id})
                return await self.idempotent(scope, receive, send, headers, key, body)
            if stored is None or stored["fingerprint"] != fingerprint:
                return await _send(send, *_problem(
                    422, "idempotency-key-reused", "Idempotency-Key reused",
                    "this Idempotency-Key was used with a different request; use a new key"))
            if stored["state"] != "done":
                return await _send(send, *_problem(409, "idempotency-in-progress", "Request in progress",
                                                   "a request with this Idempotency-Key is still running"))
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
            if captured["status"] < 500 and captured["status"] not in (401, 408, 409, 429):
                kept = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in captured["headers"]
                        if k.lower() not in (b"x-request-id", b"ratelimit", b"ratelimit-policy")]
                await col.update_one({"_id": record_id}, {"$set": {
                    "state": "done", "status": captured["status"], "headers": kept,
                    "body": b"".join(captured["body"])}})
            else:
                await col.delete_one({"_id": record_id})
