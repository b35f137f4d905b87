"""gRPC server bootstrap (grpc.aio): standard health service, reflection, and one
interceptor that binds the request id, times calls and maps domain errors to status codes."""

import asyncio
import contextvars
import time

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from services.common import errors, internal_auth, logs, metrics
from services.common.identity import Principal

STATUS = {
    errors.InvalidInput: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.Conflict: grpc.StatusCode.ALREADY_EXISTS,
    errors.TransitionRefused: grpc.StatusCode.FAILED_PRECONDITION,
    errors.Forbidden: grpc.StatusCode.PERMISSION_DENIED,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
}


# Connections end after a few minutes (with a grace for calls in flight), so clients that
# balance over a headless Service re-resolve it and reach replicas added since.
MAX_CONNECTION_AGE_MS = 120_000
SERVER_OPTIONS = [
    ("grpc.max_receive_message_length", 4 * 1024 * 1024),
    ("grpc.max_connection_age_ms", MAX_CONNECTION_AGE_MS),
    ("grpc.max_connection_age_grace_ms", 10_000),
    ("grpc.so_reuseport", 0),  # a second server on a used port fails to bind instead of sharing it
]


_caller: contextvars.ContextVar[Principal] = contextvars.ContextVar("caller")


def principal(context: grpc.aio.ServicerContext) -> Principal:
    """The caller, from the signed identity token the interceptor verified for this call."""
    return _caller.get()


async def _abort(context, exc: errors.DomainError):
    context.set_trailing_metadata((("x-bth-error-kind", exc.kind), ("x-bth-field", exc.field or "")))
    await context.abort(STATUS.get(type(exc), grpc.StatusCode.FAILED_PRECONDITION), exc.message)


def _status(context) -> grpc.StatusCode:
    code = context.code()
    return code if isinstance(code, grpc.StatusCode) and code != grpc.StatusCode.OK else grpc.StatusCode.UNKNOWN


class _Interceptor(grpc.aio.ServerInterceptor):
    def __init__(self, auth_key: str):
        self.auth_key = auth_key

    async def intercept_service(self, continuation, details):
        handler = await continuation(details)
        if handler is None or not (handler.unary_unary or handler.unary_stream):
            return handler
        method = details.method
        metadata = dict(details.invocation_metadata or ())
        rid = metadata.get("x-request-id") or logs.new_request_id()
        who, refused = None, ""
        if not method.startswith("/grpc."):   # health and reflection need no identity
            try:
                who = internal_auth.verify(metadata.get(internal_auth.HEADER), self.auth_key)
            except internal_auth.Unauthenticated as exc:
                refused = str(exc)

        async def unary(request, context):
            logs.request_id.set(rid)
            if refused:
                metrics.GRPC_LATENCY.labels(method, grpc.StatusCode.UNAUTHENTICATED.name, "").observe(0)
                await context.abort(grpc.StatusCode.UNAUTHENTICATED, refused)
            if who is not None:
                _caller.set(who)
            start, code, kind = time.perf_counter(), grpc.StatusCode.OK, ""
            try:
                return await handler.unary_unary(request, context)
            except errors.DomainError as exc:
                code, kind = STATUS.get(type(exc), grpc.StatusCode.FAILED_PRECONDITION), exc.kind
                await _abort(context, exc)
            except asyncio.CancelledError:
                code = grpc.StatusCode.CANCELLED
                raise
            except BaseException:
                code = _status(context)   # aborted by the servicer with its code, or crashed (UNKNOWN)
                raise
            finally:
                metrics.GRPC_LATENCY.labels(method, code.name, kind).observe(time.perf_counter() - start)

        async def stream(request, context):
            logs.request_id.set(rid)
            if refused:
                await context.abort(grpc.StatusCode.UNAUTHENTICATED, refused)
            if who is not None:
                _caller.set(who)
            try:
                async for item in handler.unary_stream(request, context):
                    yield item
            except errors.DomainError as exc:
                await _abort(context, exc)

        kw = {"request_deserializer": handler.request_deserializer,
              "response_serializer": handler.response_serializer}
        if handler.unary_unary:
            return grpc.unary_unary_rpc_method_handler(unary, **kw)
        return grpc.unary_stream_rpc_method_handler(stream, **kw)


async def start(host: str, port: int, registrations, service_names: list[str],
                auth_key: str = "") -> tuple[grpc.aio.Server, int]:
    """registrations: [(add_XServicer_to_server, servicer)]; returns the server and its port.
    Every call of the services needs an identity token signed with `auth_key`."""
    server = grpc.aio.server(interceptors=[_Interceptor(auth_key)], options=SERVER_OPTIONS)
    for add, servicer in registrations:
        add(servicer, server)
    health_servicer = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection([*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME], server)
    bound = server.add_insecure_port(f"{host}:{port}")
    await server.start()
    for name in ["", *service_names]:
        await health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    return server, bound
