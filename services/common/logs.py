"""Structured JSON logs (structlog) with a request id that follows a call across
REST, gRPC and Kafka (bound in contextvars; carried as x-request-id / ce_traceid)."""

import logging
import uuid
from contextvars import ContextVar

import structlog

request_id: ContextVar[str] = ContextVar("request_id", default="")


def new_request_id() -> str:
    return uuid.uuid4().hex


def _add_request_id(_, __, event_dict):
    rid = request_id.get()
    if rid:
        event_dict.setdefault("request_id", rid)
    return event_dict


def configure(service: str, level: str = "INFO", fmt: str = "json") -> None:
    renderer = structlog.processors.JSONRenderer(ensure_ascii=False) if fmt == "json" \
        else structlog.dev.ConsoleRenderer()
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            _add_request_id,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level)),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")


def get(name: str = "bth"):
    return structlog.get_logger(name)
