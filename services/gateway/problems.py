"""RFC 9457 problem details: one stable `type` per error kind, one `title` per type (TITLES),
the occurrence's `instance` (the request path), the specifics in `detail`; gRPC status →
HTTP status."""

from contextvars import ContextVar

import grpc
from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pymongo.errors import PyMongoError
from starlette.exceptions import HTTPException

from services.common import logs
from services.common.mongo import TRANSIENT_MESSAGES
from services.gateway.problem_types import BASE, PROBLEM_RESPONSES, TITLES  # noqa: F401 - re-exported

GRPC_TO_HTTP = {
    grpc.StatusCode.INVALID_ARGUMENT: (400, "invalid-input"),
    grpc.StatusCode.NOT_FOUND: (404, "not-found"),
    grpc.StatusCode.ALREADY_EXISTS: (409, "conflict"),
    grpc.StatusCode.ABORTED: (409, "conflict"),
    grpc.StatusCode.FAILED_PRECONDITION: (409, "transition-refused"),
    grpc.StatusCode.PERMISSION_DENIED: (403, "forbidden"),
    grpc.StatusCode.UNAUTHENTICATED: (401, "unauthenticated"),
    grpc.StatusCode.RESOURCE_EXHAUSTED: (429, "rate-limited"),
    grpc.StatusCode.UNAVAILABLE: (503, "service-unavailable"),
    grpc.StatusCode.DEADLINE_EXCEEDED: (503, "service-unavailable"),
}

instance: ContextVar[str] = ContextVar("problem_instance", default="")   # the request path (request_id.py)

TRANSIENT_UPSTREAM = TRANSIENT_MESSAGES   # a service's store lost a race or was busy: the same list as its retry


def body(status: int, kind: str, detail: str = "", path: str | None = None, **extra) -> dict:
    where = instance.get() if path is None else path
    return {"type": BASE + kind, "title": TITLES.get(kind, kind.replace("-", " ").capitalize()), "status": status,
            **({"detail": detail} if detail else {}), **({"instance": where} if where else {}), **extra}


def problem(status: int, kind: str, detail: str = "", headers=None, **extra) -> JSONResponse:
    return JSONResponse(body(status, kind, detail, **extra), status_code=status, headers=headers,
                        media_type="application/problem+json")


def _error(e: dict) -> dict:
    """One validation error: the field path (`keywords.1`); a body that is not JSON at all is
    field `body`, the position in the message."""
    if e["type"] == "json_invalid":
        where = e["loc"][-1] if isinstance(e["loc"][-1], int) else "?"
        return {"field": "body", "message": f"the body is not valid JSON ({(e.get('ctx') or {}).get('error', '')} "
                                           f"at character {where})"}
    return {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "message": e["msg"]}


async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [_error(e) for e in exc.errors()]
    return problem(422, "validation-error", errors[0]["message"] if errors else "",
                   errors=errors, field=errors[0]["field"] if errors else None)


async def on_grpc_error(request: Request, exc: grpc.aio.AioRpcError) -> JSONResponse:
    if exc.code() == grpc.StatusCode.RESOURCE_EXHAUSTED and "metadata size exceeds" in (exc.details() or ""):
        # the service's refusal echoed an over-long input and outgrew gRPC's metadata limit
        return problem(400, "invalid-input", "a value in the request is too long", field=None)
    status, kind = GRPC_TO_HTTP.get(exc.code(), (502, "upstream-error"))
    if status == 502 and any(m in (exc.details() or "") for m in TRANSIENT_UPSTREAM):
        status, kind = 503, "service-unavailable"   # the service's store was busy: retry
    trailers = dict(exc.trailing_metadata() or ())
    kind = trailers.get("x-bth-error-kind") or kind
    field = trailers.get("x-bth-field") or None
    headers = {"Retry-After": "5"} if status == 503 else None
    detail = exc.details() if status != 503 else "a platform service is not reachable; retry shortly"
    return problem(status, kind, detail, headers, field=field)


async def on_http_error(request: Request, exc: HTTPException) -> JSONResponse:
    kind = {401: "unauthenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed",
            413: "payload-too-large", 429: "rate-limited"}.get(exc.status_code, "http-error")
    return problem(exc.status_code, kind, str(exc.detail), headers=getattr(exc, "headers", None))


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A bug: logged with its traceback and the request id, which the answer names (body and
    header: this response is sent outside the request-id middleware)."""
    rid = logs.request_id.get()
    logs.get("gateway").error("http.unhandled_error", method=request.method, path=request.url.path,
                              exc_info=(type(exc), exc, exc.__traceback__))
    return problem(500, "internal-error", f"the error was logged with request id {rid}",
                   {"X-Request-Id": rid}, request_id=rid)


async def on_store_error(request: Request, exc: PyMongoError) -> JSONResponse:
    """The gateway's own store failed or is busy ("database is locked", no primary): retryable."""
    return problem(503, "store-unavailable", f"the gateway store failed ({type(exc).__name__}); retry shortly",
                   {"Retry-After": "1"})


HANDLERS = {RequestValidationError: on_validation_error, grpc.aio.AioRpcError: on_grpc_error,
            HTTPException: on_http_error, PyMongoError: on_store_error, Exception: on_unexpected}


DOMAIN_STATUS = {"invalid-input": 400, "not-found": 404, "conflict": 409, "transition-refused": 409,
                 "forbidden": 403, "unavailable": 503}


async def on_domain_error(request: Request, exc) -> JSONResponse:
    """A refusal raised in the gateway itself (accounts, webhooks, feed)."""
    status = DOMAIN_STATUS.get(exc.kind, 400)
    headers = {"Retry-After": "5"} if status == 503 else None
    return problem(status, exc.kind, exc.message, headers, field=exc.field)


def _register_domain() -> None:
    from services.common.errors import DomainError
    HANDLERS[DomainError] = on_domain_error


_register_domain()
