"""Revising an achievement: its owner edits a draft or a record returned for revision (only the
fields sent change) and may resubmit it. REST → registry gRPC (ReviseAchievement)."""

from typing import Annotated

from fastapi import APIRouter, Request
from pydantic import Field

from bth.registry.v1 import achievement_pb2
from bth.registry.v1 import registry_service_pb2 as pb
from services.common.contracts import to_dict, to_message
from services.gateway.routes.achievements import FundingIn, LinkedIpIn, TeamMemberIn
from services.gateway.routes.answers import Reply
from services.gateway.routes.base import Strict, example, who
from services.gateway.routes.enums import TransferMode

router = APIRouter(prefix="/api/v1", tags=["achievements"])


class RevisionIn(Strict):
    """The fields to change (those left out are kept), whether to resubmit, and a note."""

    model_config = example({
        "abstract": "面向5G小基站的低功耗射频前端，补充了第三方测试报告。", "keywords": ["5G", "射频", "低功耗"],
        "trl": 7, "submit": True, "note": "按审查意见补充测试数据"})
    title: str | None = Field(default=None, min_length=1, max_length=200)
    abstract: str = Field(default="", max_length=5000)
    field: str | None = Field(default=None, min_length=1, max_length=100)
    type: str | None = Field(default=None, min_length=1, max_length=50)
    trl: int = Field(default=1, ge=1, le=9)
    keywords: list[Annotated[str, Field(min_length=1, max_length=50)]] = Field(default_factory=list, max_length=20)
    team: list[TeamMemberIn] = Field(default_factory=list, max_length=100)
    funding: FundingIn = Field(default_factory=FundingIn)
    linked_ip: list[LinkedIpIn] = Field(default_factory=list, max_length=100)
    transfer_modes: list[TransferMode] = Field(default_factory=list, max_length=4)
    indicative_price: str = Field(default="", max_length=30)
    submit: bool = Field(default=False, description="resubmit for review straight away")
    note: str = Field(default="", max_length=2000, description="what was revised (audit trail)")


@router.patch("/achievements/{achievement_id}", summary="Revise a draft or a returned achievement",
              description="The owning organisation edits a DRAFT or a RETURNED achievement: the fields sent "
                          "replace the record's (checked whole), the version grows by one, the audit trail gets a "
                          "`revise` entry and AchievementRevised is published; `submit: true` resubmits it in the "
                          "same change. Any other state is a 409 problem, another organisation's record a 403; "
                          "refused revisions change nothing.")
async def revise_achievement(achievement_id: str, body: RevisionIn, request: Request,
                             p: who("achievement.revise")) -> Reply[achievement_pb2.Achievement]:
    changes = body.model_dump(exclude_unset=True, exclude_none=True, mode="json")   # null = left out
    submit, note = changes.pop("submit", False), changes.pop("note", "")
    req = pb.ReviseAchievementRequest(achievement_id=achievement_id, fields=list(changes), submit=submit, note=note,
                                      record=to_message(changes, pb.DraftAchievementRequest))
    clients = request.app.state.clients
    return to_dict(await clients.registry.ReviseAchievement(req, **clients.call_options(p)))
