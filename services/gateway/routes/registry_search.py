"""Search the public registry and match a stated need: REST → registry gRPC."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import ConfigDict, Field

from bth.registry.v1 import registry_service_pb2 as pb
from services.common.contracts import to_dict
from services.common.identity import Principal
from services.gateway.auth import require
from services.gateway.routes.answers import Page
from services.gateway.routes.base import Strict, example

router = APIRouter(prefix="/api/v1", tags=["search"])


class Filters(Strict):
    model_config = ConfigDict(extra="forbid")
    field: str = ""
    region: str = ""
    type: str = ""
    trl_min: int = Field(default=0, ge=0, le=9)
    trl_max: int = Field(default=0, ge=0, le=9)
    transfer_mode: str = ""
    status: str = ""
    organisation: str = ""
    page_size: int = Field(default=20, ge=1, le=200)
    cursor: str = ""


class SearchQuery(Filters):
    model_config = example({
        "q": "固态电池 电解质", "field": "energy", "region": "BEIJING", "trl_min": 5, "trl_max": 9,
        "transfer_mode": "licence", "status": "REGISTERED", "page_size": 20})
    q: str = Field(default="", max_length=5000)


class NeedIn(Filters):
    model_config = example({
        "need": "寻找可用于河北城镇污水处理厂的高通量膜材料技术", "field": "eco-environment", "region": "HEBEI",
        "trl_min": 6, "trl_max": 9, "transfer_mode": "licence", "page_size": 10})
    need: str = Field(min_length=1, max_length=5000)


def _page(reply) -> dict:
    body = to_dict(reply)
    return {"items": body.get("items", []), "next_cursor": body.get("next_cursor", "")}


@router.get("/achievements")
async def search(request: Request, who: Annotated[Principal, Depends(require("achievement.search"))],
                 filters: Annotated[SearchQuery, Query()]) -> Page[pb.SearchReply]:
    clients = request.app.state.clients
    req = pb.SearchRequest(**filters.model_dump())
    return _page(await clients.registry.SearchAchievements(req, **clients.call_options(who)))


@router.post("/achievements/match")
async def match(body: NeedIn, request: Request,
                who: Annotated[Principal, Depends(require("achievement.match"))]) -> Page[pb.SearchReply]:
    clients = request.app.state.clients
    fields = body.model_dump()
    req = pb.SearchRequest(q=fields.pop("need"), **fields)
    return _page(await clients.registry.MatchNeed(req, **clients.call_options(who)))
