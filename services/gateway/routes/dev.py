"""Development only: the movable platform clock (services/common/dev_clock.py). Every domain
service reads the same offset file, so one step moves the notice period, contract limits,
SLAs, listing terms and report windows at once; the sweeps that apply what became due run
right after the step (their events are the ordinary ones); a sweep that finds its service
busy is left to that service's own timer (listed under "deferred"), which applies it within
seconds. Absent (404) unless DEV_CLOCK_FILE is set: `make run` sets it, the Helm chart never
does. The gateway's own time (token expiry, login limits) stays the real one."""

import asyncio
from datetime import timedelta
from typing import Annotated

import grpc
from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import Field

from bth.incubation.v1 import incubation_service_pb2 as ipb
from bth.procurement.v1 import procurement_service_pb2 as ppb
from bth.registry.v1 import annual_report_pb2 as apb
from bth.registry.v1 import contract_pb2 as cpb
from bth.registry.v1 import registry_service_pb2 as rpb
from services.common import dev_clock
from services.common.identity import Principal
from services.gateway.answer_models import Clock, ClockAdvanced
from services.gateway.auth import require
from services.gateway.problems import TRANSIENT_UPSTREAM
from services.gateway.routes.answers import Reply
from services.gateway.routes.base import Strict, example

router = APIRouter(prefix="/api/v1/dev", tags=["development"])
Operator = Annotated[Principal, Depends(require("dev.clock"))]

# what became due, applied at once: (name, service, rpc, request, reply field with the ids)
SWEEPS = (("notices_concluded", "registry", "ConcludeNotices", rpb.ConcludeNoticesRequest, "registered"),
          ("contracts_breached", "registry", "CheckContractDeadlines", cpb.CheckContractDeadlinesRequest, "breached"),
          ("reports_missing", "registry", "FlagMissingReports", apb.FlagMissingReportsRequest, "missing"),
          ("obligations_overdue", "registry", "CheckObligations", apb.CheckObligationsRequest, "overdue"),
          ("listings_expired", "procurement", "ExpireListings", ppb.ExpireListingsRequest, "expired"),
          ("cases_escalated", "incubation", "DetectSlaBreaches", ipb.DetectSlaBreachesRequest, "case_ids"))


class ClockStep(Strict):
    model_config = example({"days": 31, "hours": 0})
    days: int = Field(default=0, ge=0, le=400)
    hours: int = Field(default=0, ge=0, le=23)


def _clock(request: Request) -> dev_clock.OffsetClock:
    path = request.app.state.settings.dev_clock_file
    if not path:
        raise HTTPException(404, "the development clock is off in this deployment (DEV_CLOCK_FILE is not set)")
    return dev_clock.OffsetClock(path)


def _state(clock: dev_clock.OffsetClock) -> dict:
    return {"now": clock.now().isoformat().replace("+00:00", "Z"), "offset_seconds": clock.offset().total_seconds()}


@router.get("/clock", summary="The platform's development clock")
async def read_clock(request: Request, who: Operator) -> Reply[Clock]:
    return _state(_clock(request))


@router.post("/clock", summary="Move the platform's development clock forward and apply what became due")
async def advance_clock(body: ClockStep, request: Request, who: Operator) -> Reply[ClockAdvanced]:
    clock = _clock(request)
    step = timedelta(days=body.days, hours=body.hours)
    if not step:
        raise HTTPException(400, "days or hours must be more than 0")
    dev_clock.advance(clock.path, step)
    clients, applied, deferred = request.app.state.clients, {}, []
    for name, service, method, message, ids in SWEEPS:
        reply = await _sweep(getattr(getattr(clients, service), method), message, clients.call_options(who))
        if reply is None:
            deferred.append(name)
        else:
            applied[name] = list(getattr(reply, ids))
    return {**_state(clock), "applied": applied, "deferred": deferred}


async def _sweep(rpc, message, options: dict, attempts: int = 3):
    """A sweep is idempotent (it applies what is due), so one that met its service busy (its store
    taken by the service's own timer, which sweeps the same records) is tried again; if it still
    fails, it is left to that timer (None) rather than failing the step: the clock has moved
    already, and a client retrying the whole step would move it twice."""
    for attempt in range(attempts):
        try:
            return await rpc(message(), **options)
        except grpc.aio.AioRpcError as exc:
            transient = exc.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED) \
                or any(m in (exc.details() or "") for m in TRANSIENT_UPSTREAM)
            if not transient:
                raise
            await asyncio.sleep(0.2 * (attempt + 1))
    return None
