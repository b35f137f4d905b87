"""Liveness and readiness."""

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict:
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
async def readyz(request: Request) -> JSONResponse:
    state = request.app.state
    try:
        await asyncio.wait_for(state.mongo.admin.command("ping"), 2)
        mongo = "ok"
    except Exception as exc:  # noqa: BLE001 - report, do not fail the probe handler
        mongo = type(exc).__name__
    servers = state.settings.kafka.bootstrap_servers.split(",")
    kafka = "ok" if any([await _tcp_ok(s) for s in servers]) else "unreachable"
    services = await state.clients.health()
    ready = mongo == "ok" and kafka == "ok" and all(v == "SERVING" for v in services.values())
    body = {"status": "ready" if ready else "not-ready", "mongo": mongo, "kafka": kafka, "services": services}
    return JSONResponse(body, status_code=200 if ready else 503)
