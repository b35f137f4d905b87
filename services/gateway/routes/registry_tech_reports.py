"""Technology reports (sharing levels, access requests), saved searches and the open-data export
(JSON Lines): REST → registry gRPC."""

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import StreamingResponse
from pydantic import Field

from bth.registry.v1 import registry_service_pb2 as pb
from bth.registry.v1 import saved_search_pb2 as spb
from bth.registry.v1 import tech_report_pb2 as tpb
from services.common.contracts import to_dict, to_message
from services.common.identity import Principal
from services.gateway.auth import require
from services.gateway.routes.answers import Lines, Reply
from services.gateway.routes.base import NoteIn, Strict, example

router = APIRouter(prefix="/api/v1", tags=["technology reports"])
EXPORT_TIMEOUT = 600.0


class TechReportIn(Strict):
    model_config = example({
        "title": "固态电池电解质中试技术报告",
        "content": "本报告总结了硫化物固态电解质的中试工艺、性能测试与安全评估结果。", "sharing": "RESTRICTED",
        "summary": "中试线良率达到92%，离子电导率1.2 mS/cm", "achievement_id": "ach-7c1e2f9a",
        "project_code": "Z221100002722001"})
    title: str = Field(min_length=1, max_length=200)
    content: str = Field(min_length=1, max_length=200_000)
    sharing: Literal["PUBLIC", "RESTRICTED", "CONFIDENTIAL"]
    summary: str = Field(default="", max_length=2000)
    achievement_id: str = ""
    project_code: str = ""


class AccessRequestIn(Strict):
    model_config = example({
        "reason": "天津滨海新材料有限公司拟评估该技术的产业化可行性，申请查阅报告全文"})
    reason: str = Field(min_length=1, max_length=2000)


class AccessDecisionIn(NoteIn):
    model_config = example({
        "note": "同意查阅，仅限内部评估使用"})


class QueryIn(Strict):
    model_config = example({
        "q": "节水灌溉", "field": "agriculture", "region": "HEBEI", "type": "process", "trl_min": 6, "trl_max": 9,
        "transfer_mode": "cooperation"})
    q: str = Field(default="", max_length=2000)
    field: str = ""
    region: str = ""
    type: str = ""
    trl_min: int = Field(default=0, ge=0, le=9)
    trl_max: int = Field(default=0, ge=0, le=9)
    transfer_mode: str = ""
    organisation: str = ""


class SavedSearchIn(Strict):
    model_config = example({
        "name": "河北节水灌溉成果",
        "query": {"q": "节水灌溉", "field": "agriculture", "region": "HEBEI", "trl_min": 6}})
    name: str = Field(min_length=1, max_length=200)
    query: QueryIn


def _call(request: Request, who: Principal, method: str, message):
    clients = request.app.state.clients
    return getattr(clients.registry, method)(message, **clients.call_options(who))


@router.post("/tech-reports", status_code=201)
async def file_report(body: TechReportIn, request: Request,
                      who: Annotated[Principal, Depends(require("tech_report.file"))]) -> Reply[tpb.TechReport]:
    return to_dict(await _call(request, who, "FileTechReport", tpb.FileTechReportRequest(**body.model_dump())))


@router.get("/tech-reports/{report_id}")
async def get_report(report_id: str, request: Request,
                     who: Annotated[Principal, Depends(require("tech_report.read"))]) -> Reply[tpb.TechReport]:
    return to_dict(await _call(request, who, "GetTechReport", tpb.TechReportRef(report_id=report_id)))


@router.post("/tech-reports/{report_id}/access-requests", status_code=201)
async def request_access(report_id: str, body: AccessRequestIn, request: Request,
                         who: Annotated[Principal,
                         Depends(require("tech_report.request_access"))]) -> Reply[tpb.TechReport]:
    req = tpb.RequestReportAccessRequest(report_id=report_id, reason=body.reason)
    return to_dict(await _call(request, who, "RequestReportAccess", req))


def _decision_route(path: str, grant: bool):
    async def route(report_id: str, request_id: str, request: Request,
                    who: Annotated[Principal, Depends(require("tech_report.decide_access"))],
                    body: AccessDecisionIn | None = None) -> Reply[tpb.TechReport]:
        req = tpb.DecideReportAccessRequest(report_id=report_id, request_id=request_id, grant=grant,
                                            note=body.note if body else "")
        return to_dict(await _call(request, who, "DecideReportAccess", req))
    route.__name__ = f"{path}_access"
    router.post(f"/tech-reports/{{report_id}}/access-requests/{{request_id}}/{path}")(route)


_decision_route("grant", True)
_decision_route("deny", False)


# --- saved searches -------------------------------------------------------------------------
@router.post("/saved-searches", status_code=201, tags=["saved searches"])
async def save_search(body: SavedSearchIn, request: Request,
                      who: Annotated[Principal, Depends(require("saved_search.manage"))]) -> Reply[spb.SavedSearch]:
    req = to_message(body.model_dump(), spb.SaveSearchRequest)
    return to_dict(await _call(request, who, "SaveSearch", req))


@router.get("/saved-searches", tags=["saved searches"])
async def list_saved_searches(request: Request,
                              who: Annotated[Principal,
                              Depends(require("saved_search.manage"))]) -> Reply[spb.SavedSearchList]:
    reply = await _call(request, who, "ListSavedSearches", spb.ListSavedSearchesRequest())
    return {"items": to_dict(reply).get("items", [])}


@router.delete("/saved-searches/{saved_search_id}", tags=["saved searches"], status_code=204, response_class=Response)
async def delete_saved_search(saved_search_id: str, request: Request,
                              who: Annotated[Principal, Depends(require("saved_search.manage"))]) -> Response:
    req = spb.SavedSearchRef(saved_search_id=saved_search_id)
    await _call(request, who, "DeleteSavedSearch", req)
    return Response(status_code=204)


# --- open data export -----------------------------------------------------------------------
@router.get("/achievements/export.jsonl", tags=["open data"], response_class=StreamingResponse)
async def export(request: Request, who: Annotated[Principal, Depends(require("achievement.export"))],
                 filters: Annotated[QueryIn, Query()]) -> Lines[spb.PublicAchievement]:
    clients = request.app.state.clients
    options = {**clients.call_options(who), "timeout": EXPORT_TIMEOUT}
    call = clients.registry.ExportAchievements(pb.SearchRequest(**filters.model_dump()), **options)
    stream = call.__aiter__()
    try:  # the first record (or the error) before the 200 goes out: refusals stay problem details
        first = [await anext(stream)]
    except StopAsyncIteration:
        first = []

    def line(message) -> bytes:
        return (json.dumps(to_dict(message), ensure_ascii=False, separators=(",", ":")) + "\n").encode()

    async def body():
        for message in first:
            yield line(message)
        async for message in stream:
            yield line(message)

    return StreamingResponse(body(), media_type="application/x-ndjson",
                             headers={"Content-Disposition": 'attachment; filename="achievements.jsonl"'})
