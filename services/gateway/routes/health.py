"""Liveness and readiness of the gateway: ready when its own store and the broker answer."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.gateway.answer_models import Alive, Readiness
from services.gateway.routes.answers import Reply

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> Reply[Alive]:
    return {"status": "alive"}


async def _tcp_ok(address: str) -> bool:
    host, _, port = address.strip().rpartition(":")
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(host, int(port)), 1)
        writer.close()
        return True
    except (OSError, TimeoutError, ValueError):
        return False


@router.get("/readyz")
async def readyz(request: Request) -> Reply[Readiness]:
    state = request.app.state
    try:
        await asyncio.wait_for(state.mongo.admin.command("ping"), 2)
        mongo = "ok"
    except Exception as exc:  # noqa: BLE001 - report, do not fail the probe handler
        mongo = type(exc).__name__
    servers = state.settings.kafka.bootstrap_servers.split(",")
    kafka = "ok" if any([await _tcp_ok(s) for s in servers]) else "unreachable"
    # Domain services are reported, not required: one API being down must not take every
    # gateway pod out of the Service; its routes answer 503 problems with Retry-After instead.
    services = await state.clients.health()
    ready = mongo == "ok" and kafka == "ok"
    body = {"status": "ready" if ready else "not-ready", "mongo": mongo, "kafka": kafka, "services": services}
    delivery = getattr(state, "delivery", None)  # feed ingestion, when it runs in this process
    if delivery is not None:
        body["feed"] = delivery.ingester.status()
        ready = ready and body["feed"]["ready"]
        body["status"] = "ready" if ready else "not-ready"
    return JSONResponse(body, status_code=200 if ready else 503)
