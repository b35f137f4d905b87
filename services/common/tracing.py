"""OpenTelemetry traces across REST → gRPC → Kafka → consumers → webhooks. One tracer
provider per process (`configure`, idempotent); gRPC clients and servers are instrumented by
opentelemetry-instrumentation-grpc (W3C `traceparent` in gRPC metadata), the gateway's HTTP
by opentelemetry-instrumentation-fastapi (an incoming `traceparent` is continued; the answer
carries `traceresponse`). An event carries the context it was written in as the CloudEvents
Distributed Tracing extension `traceparent` (outbox → Kafka header `ce_traceparent` → the
feed's JSON form); a consumer continues it (`consuming`), and a webhook delivery sends it
on as its own `traceparent` header. Spans are exported over OTLP/HTTP only when
OTEL_EXPORTER_OTLP_ENDPOINT is set (off by default: contexts still propagate)."""

import contextlib

from opentelemetry import propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

_configured: list[TracerProvider] = []
tracer = trace.get_tracer("bth")


def configure(service: str, otlp_endpoint: str = "") -> TracerProvider:
    """The process's tracer provider (made on the first call; later calls return it)."""
    if _configured:
        return _configured[0]
    from opentelemetry.instrumentation.grpc import GrpcAioInstrumentorClient, GrpcAioInstrumentorServer, filters
    from opentelemetry.instrumentation.propagators import TraceResponsePropagator, set_global_response_propagator

    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=otlp_endpoint.rstrip("/")
                                                                               + "/v1/traces")))
    trace.set_tracer_provider(provider)
    not_health = filters.negate(filters.service_prefix("grpc."))   # health checks and reflection: no spans
    GrpcAioInstrumentorServer(filter_=not_health).instrument()
    GrpcAioInstrumentorClient(filter_=not_health).instrument()
    set_global_response_propagator(TraceResponsePropagator())
    _configured.append(provider)
    return provider


def current_traceparent() -> str:
    """The W3C traceparent of the active span ("" when there is none)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent", "")


def headers() -> dict[str, str]:
    """The active context as HTTP headers (traceparent, tracestate)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier


@contextlib.contextmanager
def consuming(name: str, traceparent: str, kind=trace.SpanKind.CONSUMER, **attributes):
    """A span continuing the trace an event was written in (a new trace when it has none)."""
    parent = propagate.extract({"traceparent": traceparent}) if traceparent else None
    with tracer.start_as_current_span(name, context=parent, kind=kind, attributes=attributes) as span:
        yield span
