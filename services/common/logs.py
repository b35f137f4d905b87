"""Structured logs (structlog) with a request id that follows a call across REST, gRPC and
Kafka (bound in contextvars; carried as x-request-id / ce_traceid). With LOG_FORMAT=json
every line a process writes is one JSON object: structlog's own events, and every stdlib
logger (uvicorn, grpc, aiokafka, faust, asyncio, warnings) through structlog's
ProcessorFormatter on the root handler; tracebacks are an `exception` field, and an uncaught
exception is logged the same way before the process dies."""

import logging
import sys
import threading
import uuid
from contextvars import ContextVar

import structlog
from opentelemetry import trace

request_id: ContextVar[str] = ContextVar("request_id", default="")
LIBRARY_LEVEL = logging.WARNING   # chatty libraries (aiokafka, faust) log at INFO


def new_request_id() -> str:
    return uuid.uuid4().hex


def _add_request_id(_, __, event_dict):
    rid = request_id.get()
    if rid:
        event_dict.setdefault("request_id", rid)
    return event_dict


def _add_trace(_, __, event_dict):
    """The active span's trace id (and span id), so a log line can be found from a trace."""
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        event_dict.setdefault("trace_id", format(context.trace_id, "032x"))
        event_dict.setdefault("span_id", format(context.span_id, "016x"))
    return event_dict


def _shared(service: str) -> list:
    def add_service(_, __, event_dict):
        event_dict.setdefault("service", service)
        return event_dict
    return [structlog.contextvars.merge_contextvars, _add_request_id, _add_trace, add_service,
            structlog.processors.add_log_level, structlog.processors.TimeStamper(fmt="iso", utc=True)]


def _renderer(fmt: str):
    return structlog.processors.JSONRenderer(ensure_ascii=False) if fmt == "json" else structlog.dev.ConsoleRenderer()


def _route_stdlib(service: str, level: str, fmt: str) -> None:
    """The root handler renders stdlib records (uvicorn, libraries) like structlog's events."""
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_shared(service), structlog.stdlib.add_logger_name],
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info, _renderer(fmt)])
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(LIBRARY_LEVEL)
    for name in ("uvicorn", "uvicorn.error"):   # uvicorn's start/stop lines at the configured level
        logging.getLogger(name).setLevel(getattr(logging, level))
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.captureWarnings(True)


def _log_uncaught(exc_type, exc, tb) -> None:
    if issubclass(exc_type, KeyboardInterrupt):   # Ctrl-C / SIGINT: a stop, not a crash
        structlog.get_logger("bth").info("process.interrupted")
        return
    structlog.get_logger("bth").critical("process.uncaught_exception", exc_info=(exc_type, exc, tb))


def configure(service: str, level: str = "INFO", fmt: str = "json") -> None:
    structlog.configure(
        processors=[*_shared(service), structlog.processors.format_exc_info, _renderer(fmt)],
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level)),
        cache_logger_on_first_use=True,
    )
    _route_stdlib(service, level, fmt)
    sys.excepthook = _log_uncaught
    threading.excepthook = lambda args: _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)


def get(name: str = "bth"):
    return structlog.get_logger(name)
