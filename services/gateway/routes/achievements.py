"""Achievements: REST → registry gRPC; and the read models other services keep."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import Field

from bth.incubation.v1 import incubation_service_pb2
from bth.procurement.v1 import procurement_service_pb2
from bth.registry.v1 import achievement_pb2, registry_service_pb2
from services.common.contracts import to_dict, to_message
from services.common.identity import Principal
from services.gateway.auth import require
from services.gateway.routes.answers import Reply
from services.gateway.routes.base import Strict, example
from services.gateway.routes.enums import TransferMode

router = APIRouter(prefix="/api/v1", tags=["achievements"])
Reader = Annotated[Principal, Depends(require("achievement.read"))]
Drafter = Annotated[Principal, Depends(require("achievement.draft"))]
Submitter = Annotated[Principal, Depends(require("achievement.submit"))]
ProcurementReader = Annotated[Principal, Depends(require("procurement.read"))]
IncubationReader = Annotated[Principal, Depends(require("incubation.read"))]


class TeamMemberIn(Strict):
    model_config = example({
        "name": "张伟", "role": "项目负责人"})
    name: str = Field(min_length=1, max_length=100)
    role: str = ""


class FundingIn(Strict):
    model_config = example({
        "fiscal": True, "plan": "北京市科技计划", "project_code": "Z221100002722001"})
    fiscal: bool = False
    plan: str = ""
    project_code: str = ""


class LinkedIpIn(Strict):
    model_config = example({
        "kind": "patent", "reference": "CN202210123456.7", "title": "一种低功耗射频前端电路"})
    kind: Literal["patent", "standard", "paper", "report"]
    reference: str = Field(min_length=1, max_length=200)
    title: str = ""


class AchievementIn(Strict):
    model_config = example({
        "title": "面向5G基站的低功耗射频芯片", "abstract": "A low-power RF front-end for 5G small cells.",
        "field": "5g", "type": "patent", "trl": 6, "keywords": ["5G", "射频"],
        "transfer_modes": ["licence", "transfer"], "indicative_price": "1200000.00", "submit": True})
    title: str = Field(min_length=1, max_length=200)
    abstract: str = Field(default="", max_length=5000)
    field: str
    type: str
    trl: int = Field(ge=1, le=9)
    keywords: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(default_factory=list, max_length=20)
    team: list[TeamMemberIn] = Field(default_factory=list, max_length=100)
    funding: FundingIn = Field(default_factory=FundingIn)
    linked_ip: list[LinkedIpIn] = Field(default_factory=list, max_length=100)
    transfer_modes: list[TransferMode] = Field(default_factory=list)
    indicative_price: str = ""
    submit: bool = False


@router.post("/achievements", status_code=201)
async def draft_achievement(body: AchievementIn, request: Request, who: Drafter) -> Reply[achievement_pb2.Achievement]:
    clients = request.app.state.clients
    req = to_message(body.model_dump(), registry_service_pb2.DraftAchievementRequest)
    return to_dict(await clients.registry.DraftAchievement(req, **clients.call_options(who)))


@router.get("/achievements/{achievement_id}")
async def get_achievement(achievement_id: str, request: Request, who: Reader) -> Reply[achievement_pb2.Achievement]:
    clients = request.app.state.clients
    ref = registry_service_pb2.AchievementRef(achievement_id=achievement_id)
    return to_dict(await clients.registry.GetAchievement(ref, **clients.call_options(who)))


@router.post("/achievements/{achievement_id}/submit")
async def submit_achievement(achievement_id: str, request: Request,
                             who: Submitter) -> Reply[achievement_pb2.Achievement]:
    clients = request.app.state.clients
    ref = registry_service_pb2.AchievementRef(achievement_id=achievement_id)
    return to_dict(await clients.registry.SubmitAchievement(ref, **clients.call_options(who)))


@router.get("/procurement/known-achievements/{achievement_id}", tags=["procurement"])
async def procurement_known(achievement_id: str, request: Request,
                            who: ProcurementReader) -> Reply[achievement_pb2.Achievement]:
    clients = request.app.state.clients
    ref = procurement_service_pb2.KnownAchievementRef(achievement_id=achievement_id)
    return to_dict(await clients.procurement.GetKnownAchievement(ref, **clients.call_options(who)))


@router.get("/incubation/known-achievements/{achievement_id}", tags=["incubation"])
async def incubation_known(achievement_id: str, request: Request,
                           who: IncubationReader) -> Reply[achievement_pb2.Achievement]:
    clients = request.app.state.clients
    ref = incubation_service_pb2.KnownAchievementRef(achievement_id=achievement_id)
    return to_dict(await clients.incubation.GetKnownAchievement(ref, **clients.call_options(who)))
