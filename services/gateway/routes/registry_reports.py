"""Annual transformation reports, oversight lists and fiscal obligations: REST → registry gRPC."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from bth.registry.v1 import annual_report_pb2 as pb
from services.common.contracts import to_dict, to_message
from services.common.identity import Principal
from services.gateway.auth import require
from services.gateway.routes.answers import Reply
from services.gateway.routes.base import NoteIn, Strict, example

router = APIRouter(prefix="/api/v1", tags=["annual reports"])
BIG = 10**9


class DealIn(Strict):
    model_config = example({
        "count": 3, "amount": "3600000.00"})
    count: int = Field(default=0, ge=-BIG, le=BIG)   # negatives reach the registry, which names the field
    amount: str = Field(default="0.00", max_length=30)


class DealsIn(Strict):
    model_config = example({
        "transfer": {"count": 3, "amount": "3600000.00"}, "licence": {"count": 5, "amount": "2500000.00"},
        "equity": {"count": 1, "amount": "8000000.00"}, "cooperation": {"count": 12, "amount": "4200000.00"}})
    transfer: DealIn = Field(default_factory=DealIn)
    licence: DealIn = Field(default_factory=DealIn)
    equity: DealIn = Field(default_factory=DealIn)
    cooperation: DealIn = Field(default_factory=DealIn)


class AnnualReportIn(Strict):
    model_config = example({
        "year": 2025,
        "deals": {"transfer": {"count": 3, "amount": "3600000.00"}, "licence": {"count": 5, "amount": "2500000.00"},
                  "equity": {"count": 1, "amount": "8000000.00"}, "cooperation": {"count": 12, "amount": "4200000.00"}},
        "income": "18300000.00", "researcher_rewards": "9150000.00", "people_involved": 86})
    year: int = Field(ge=0, le=9999)
    deals: DealsIn = Field(default_factory=DealsIn)
    income: str = Field(max_length=30)
    researcher_rewards: str = Field(max_length=30)
    people_involved: int = Field(default=0, ge=-BIG, le=BIG)   # as `count`: the registry names a negative


class ReportDecisionIn(NoteIn):
    model_config = example({
        "note": "年度报告数据完整，同意报送"})


class FundedProjectIn(Strict):
    model_config = example({
        "project_code": "Z221100002722001", "fiscal_plan": "北京市科技计划",
        "title": "硫化物固态电解质规模化制备技术", "holder": "org-bit", "end_date": "2026-12-31"})
    project_code: str = Field(min_length=1, max_length=100)
    fiscal_plan: str = Field(min_length=1, max_length=200)
    title: str = Field(default="", max_length=200)
    holder: str = Field(min_length=1, max_length=200)
    end_date: str = Field(min_length=1, max_length=10)


def _call(request: Request, who: Principal, method: str, message):
    clients = request.app.state.clients
    return getattr(clients.registry, method)(message, **clients.call_options(who))


# --- oversight lists (supervising departments) ----------------------------------------------
@router.get("/oversight")
async def get_oversight(request: Request, who: Annotated[Principal, Depends(require("annual_report.oversee"))],
                        supervisor: str = "") -> Reply[pb.Oversight]:
    return to_dict(await _call(request, who, "GetOversight", pb.OversightRequest(supervisor=supervisor)))


@router.put("/oversight/institutions/{organisation}")
async def oversee(organisation: str, request: Request,
                  who: Annotated[Principal, Depends(require("annual_report.oversee"))],
                  supervisor: str = "") -> Reply[pb.Oversight]:
    req = pb.OversightRequest(supervisor=supervisor, organisation=organisation)
    return to_dict(await _call(request, who, "OverseeInstitution", req))


@router.delete("/oversight/institutions/{organisation}", status_code=204, response_class=Response)
async def release(organisation: str, request: Request,
                  who: Annotated[Principal, Depends(require("annual_report.oversee"))],
                  supervisor: str = "") -> Response:
    req = pb.OversightRequest(supervisor=supervisor, organisation=organisation)
    await _call(request, who, "ReleaseInstitution", req)
    return Response(status_code=204)


# --- annual reports --------------------------------------------------------------------------
@router.post("/annual-reports", status_code=201)
async def file_report(body: AnnualReportIn, request: Request,
                      who: Annotated[Principal, Depends(require("annual_report.file"))]) -> Reply[pb.AnnualReport]:
    req = to_message(body.model_dump(), pb.FileAnnualReportRequest)
    return to_dict(await _call(request, who, "FileAnnualReport", req))


@router.get("/annual-reports")
async def reporting_status(request: Request, who: Annotated[Principal, Depends(require("annual_report.status"))],
                           year: Annotated[int, Query(ge=0, le=9999)] = 0,
                           supervisor: str = "") -> Reply[pb.ReportingStatusReply]:
    reply = to_dict(await _call(request, who, "GetReportingStatus",
                                pb.ReportingStatusRequest(year=year, supervisor=supervisor)))
    return {"year": reply.get("year", year), "institution_deadline": reply.get("institution_deadline", ""),
            "supervisor_deadline": reply.get("supervisor_deadline", ""), "late": reply.get("late", []),
            "missing": reply.get("missing", []), "reports": reply.get("reports", [])}


@router.get("/annual-reports/{report_id}")
async def get_report(report_id: str, request: Request,
                     who: Annotated[Principal, Depends(require("annual_report.read"))]) -> Reply[pb.AnnualReport]:
    return to_dict(await _call(request, who, "GetAnnualReport", pb.AnnualReportRef(report_id=report_id)))


def _decision_route(path: str, method: str):
    async def route(report_id: str, request: Request,
                    who: Annotated[Principal, Depends(require("annual_report.decide"))],
                    body: ReportDecisionIn | None = None) -> Reply[pb.AnnualReport]:
        req = pb.AnnualReportDecision(report_id=report_id, note=body.note if body else "")
        return to_dict(await _call(request, who, method, req))
    route.__name__ = method
    router.post(f"/annual-reports/{{report_id}}/{path}")(route)


_decision_route("approve", "ApproveAnnualReport")
_decision_route("return", "ReturnAnnualReport")


@router.post("/registry/annual-reports/flag-missing")
async def flag_missing(request: Request, who: Annotated[Principal,
                       Depends(require("registry.operate"))]) -> Reply[pb.FlagMissingReportsReply]:
    reply = await _call(request, who, "FlagMissingReports", pb.FlagMissingReportsRequest())
    return {"missing": list(reply.missing), "overdue": list(reply.overdue)}


# --- fiscal obligations ----------------------------------------------------------------------
@router.post("/funded-projects", status_code=201, tags=["obligations"])
async def register_project(body: FundedProjectIn, request: Request,
                           who: Annotated[Principal, Depends(require("obligation.manage"))]) -> Reply[pb.FundedProject]:
    req = pb.RegisterFundedProjectRequest(**body.model_dump())
    return to_dict(await _call(request, who, "RegisterFundedProject", req))


@router.get("/funded-projects/{project_code}", tags=["obligations"])
async def get_project(project_code: str, request: Request,
                      who: Annotated[Principal, Depends(require("obligation.read"))]) -> Reply[pb.FundedProject]:
    return to_dict(await _call(request, who, "GetFundedProject", pb.FundedProjectRef(project_code=project_code)))


@router.get("/obligations/overdue", tags=["obligations"])
async def overdue(request: Request, who: Annotated[Principal, Depends(require("obligation.read"))],
                  holder: str = "") -> Reply[pb.OverdueObligationsReply]:
    reply = to_dict(await _call(request, who, "ListOverdueObligations", pb.OverdueObligationsRequest(holder=holder)))
    return {"items": reply.get("items", []),
            "counts_technology_reports": reply.get("counts_technology_reports", False)}


@router.post("/registry/obligations/check", tags=["obligations"])
async def check(request: Request, who: Annotated[Principal,
                Depends(require("registry.operate"))]) -> Reply[pb.CheckObligationsReply]:
    reply = await _call(request, who, "CheckObligations", pb.CheckObligationsRequest())
    return {"overdue": list(reply.overdue)}
