"""Achievement lifecycle beyond draft/submit: formal review, notice objections, withdrawal,
transformation records, audit trail, concluding notices. REST → registry gRPC."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from bth.registry.v1 import achievement_pb2
from bth.registry.v1 import registry_service_pb2 as pb
from services.common.contracts import to_dict
from services.common.identity import Principal
from services.gateway.auth import require
from services.gateway.routes.answers import Reply
from services.gateway.routes.base import NoteIn, Strict, example
from services.gateway.routes.enums import Region, TransferMode

router = APIRouter(prefix="/api/v1", tags=["achievements"])


class ObjectionIn(Strict):
    model_config = example({
        "reason": "该成果关联的第二项专利权属存在争议，请核实"})
    reason: str = Field(min_length=1, max_length=2000)


class ResolutionIn(Strict):
    model_config = example({
        "uphold": False, "resolution": "经核实专利权属清晰，异议不成立"})
    uphold: bool
    resolution: str = Field(min_length=1, max_length=2000)


class TransformationIn(Strict):
    model_config = example({
        "kind": "licence", "counterparty": "天津滨海新材料有限公司", "counterparty_region": "TIANJIN",
        "amount": "1200000.00", "date": "2026-06-30"})
    kind: TransferMode
    counterparty: str = Field(min_length=1, max_length=200)
    counterparty_region: Region
    amount: str
    date: str = Field(description="YYYY-MM-DD")


def _call(request: Request, who: Principal, method: str, message):
    clients = request.app.state.clients
    return getattr(clients.registry, method)(message, **clients.call_options(who))


def _review_route(path: str, method: str, action: str):
    async def route(achievement_id: str, request: Request, who: Annotated[Principal, Depends(require(action))],
                    body: NoteIn | None = None) -> Reply[achievement_pb2.Achievement]:
        note = body.note if body else ""
        return to_dict(await _call(request, who, method, pb.ReviewRequest(achievement_id=achievement_id, note=note)))
    route.__name__ = method
    router.post(f"/achievements/{{achievement_id}}/{path}")(route)


_review_route("approve", "ApproveAchievement", "achievement.review")
_review_route("return", "ReturnAchievement", "achievement.review")
_review_route("reject", "RejectAchievement", "achievement.review")
_review_route("withdraw", "WithdrawAchievement", "achievement.withdraw")


@router.post("/achievements/{achievement_id}/objections", status_code=201)
async def lodge_objection(achievement_id: str, body: ObjectionIn, request: Request,
                          who: Annotated[Principal,
                          Depends(require("achievement.object"))]) -> Reply[achievement_pb2.Achievement]:
    req = pb.LodgeObjectionRequest(achievement_id=achievement_id, reason=body.reason)
    return to_dict(await _call(request, who, "LodgeObjection", req))


@router.post("/achievements/{achievement_id}/objections/{objection_id}/resolve")
async def resolve_objection(achievement_id: str, objection_id: str, body: ResolutionIn, request: Request,
                            who: Annotated[Principal,
                            Depends(require("achievement.resolve_objection"))]) -> Reply[achievement_pb2.Achievement]:
    req = pb.ResolveObjectionRequest(achievement_id=achievement_id, objection_id=objection_id,
                                     uphold=body.uphold, resolution=body.resolution)
    return to_dict(await _call(request, who, "ResolveObjection", req))


@router.post("/achievements/{achievement_id}/transformations", status_code=201)
async def record_transformation(achievement_id: str, body: TransformationIn, request: Request,
                                who: Annotated[Principal,
                                Depends(require("achievement.transform"))]) -> Reply[achievement_pb2.Achievement]:
    req = pb.RecordTransformationRequest(achievement_id=achievement_id, **body.model_dump())
    return to_dict(await _call(request, who, "RecordTransformation", req))


@router.get("/achievements/{achievement_id}/audit")
async def audit_trail(achievement_id: str, request: Request,
                      who: Annotated[Principal, Depends(require("achievement.read"))]) -> Reply[pb.AuditTrail]:
    reply = await _call(request, who, "GetAuditTrail", pb.AchievementRef(achievement_id=achievement_id))
    return to_dict(reply)


@router.post("/registry/notices/conclude")
async def conclude_notices(request: Request, who: Annotated[Principal,
                           Depends(require("registry.operate"))]) -> Reply[pb.ConcludeNoticesReply]:
    reply = await _call(request, who, "ConcludeNotices", pb.ConcludeNoticesRequest())
    return {"registered": list(reply.registered)}
