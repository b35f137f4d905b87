"""Technology contracts, live statistics, the trading map and achievement packages: REST → registry gRPC."""

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from bth.registry.v1 import contract_pb2 as cpb
from bth.registry.v1 import package_pb2 as pkg
from services.common.contracts import to_dict, to_message
from services.common.identity import Principal
from services.gateway.auth import require
from services.gateway.routes.answers import Reply
from services.gateway.routes.base import NoteIn, Strict, example
from services.gateway.routes.enums import Region

router = APIRouter(prefix="/api/v1", tags=["contracts"])


class ContractPartyIn(Strict):
    model_config = example({
        "organisation": "org-tsinghua", "name": "清华大学", "region": "BEIJING"})
    organisation: str = Field(default="", max_length=200)
    name: str = Field(default="", max_length=200)
    region: Region | Literal[""] = ""   # "" (seller only): the caller's region


class ContractIn(Strict):
    model_config = example({
        "type": "licence", "title": "固态电池电解质专利实施许可合同",
        "seller": {"organisation": "org-tsinghua", "name": "清华大学", "region": "BEIJING"},
        "buyer": {"organisation": "org-hebei-lvneng", "name": "河北绿能科技有限公司", "region": "HEBEI"},
        "amount": "1200000.00", "achievement_ids": ["ach-7c1e2f9a"], "field": "energy"})
    type: Literal["development", "transfer", "licence", "consulting", "service"]
    title: str = Field(min_length=1, max_length=200)
    seller: ContractPartyIn = Field(default_factory=ContractPartyIn)
    buyer: ContractPartyIn
    amount: str
    achievement_ids: list[str] = Field(default_factory=list, max_length=100)
    field: str


class ContractDecisionIn(NoteIn):
    model_config = example({
        "note": "合同要素齐全，予以登记"})


class ExtendIn(Strict):
    model_config = example({
        "days": 30, "note": "补充提交技术交易发票"})
    days: int = Field(ge=1, le=365)
    note: str = Field(default="", max_length=2000)


class StatsQuery(Strict):
    model_config = example({
        "month_from": "2026-01", "month_to": "2026-06", "field": "energy"})
    month_from: str = ""
    month_to: str = ""
    field: str = ""


def _call(request: Request, who: Principal, method: str, message):
    clients = request.app.state.clients
    return getattr(clients.registry, method)(message, **clients.call_options(who))


@router.post("/contracts", status_code=201)
async def file_contract(body: ContractIn, request: Request,
                        who: Annotated[Principal, Depends(require("contract.file"))]) -> Reply[cpb.TechnologyContract]:
    req = to_message(body.model_dump(), cpb.FileContractRequest)
    return to_dict(await _call(request, who, "FileContract", req))


@router.get("/contracts/{contract_id}")
async def get_contract(contract_id: str, request: Request,
                       who: Annotated[Principal, Depends(require("contract.read"))]) -> Reply[cpb.TechnologyContract]:
    return to_dict(await _call(request, who, "GetContract", cpb.ContractRef(contract_id=contract_id)))


def _decision_route(path: str, method: str):
    async def route(contract_id: str, request: Request,
                    who: Annotated[Principal, Depends(require("contract.register"))],
                    body: ContractDecisionIn | None = None) -> Reply[cpb.TechnologyContract]:
        req = cpb.ContractDecision(contract_id=contract_id, note=body.note if body else "")
        return to_dict(await _call(request, who, method, req))
    route.__name__ = method
    router.post(f"/contracts/{{contract_id}}/{path}")(route)


_decision_route("register", "RegisterContract")
_decision_route("refuse", "RefuseContract")


@router.post("/contracts/{contract_id}/extend")
async def extend_contract(contract_id: str, body: ExtendIn, request: Request,
                          who: Annotated[Principal,
                          Depends(require("contract.register"))]) -> Reply[cpb.TechnologyContract]:
    req = cpb.ExtendContractRequest(contract_id=contract_id, days=body.days, note=body.note)
    return to_dict(await _call(request, who, "ExtendContractDeadline", req))


@router.post("/registry/contracts/check-deadlines")
async def check_deadlines(request: Request, who: Annotated[Principal,
                          Depends(require("registry.operate"))]) -> Reply[cpb.CheckContractDeadlinesReply]:
    reply = await _call(request, who, "CheckContractDeadlines", cpb.CheckContractDeadlinesRequest())
    return {"breached": list(reply.breached)}


@router.get("/statistics", tags=["statistics"])
async def statistics(request: Request, who: Annotated[Principal, Depends(require("statistics.read"))],
                     query: Annotated[StatsQuery, Query()]) -> Reply[cpb.StatisticsReply]:
    body = to_dict(await _call(request, who, "GetStatistics", cpb.StatisticsRequest(**query.model_dump())))
    def counted(rows: list) -> list:  # proto3 leaves zero counts out; the answer always has them
        return [{**row, "count": int(row.get("count", 0))} for row in rows]
    return {"by_region": counted(body.get("by_region", [])), "by_field": counted(body.get("by_field", [])),
            "by_month": counted(body.get("by_month", [])), "count": int(body.get("count", 0)),
            "amount": body.get("amount", "0.00")}


@router.get("/trading-map", tags=["statistics"])
async def trading_map(request: Request, who: Annotated[Principal, Depends(require("statistics.read"))],
                      query: Annotated[StatsQuery, Query()]) -> Reply[cpb.TradingMapReply]:
    body = to_dict(await _call(request, who, "GetTradingMap", cpb.StatisticsRequest(**query.model_dump())))
    flows = [{**f, "count": int(f.get("count", 0))} for f in body.get("flows", [])]
    routes = [{**r, "count": int(r.get("count", 0))} for r in body.get("routes", [])]
    return {"flows": flows, "routes": routes, "count": int(body.get("count", 0)),
            "amount": body.get("amount", "0.00")}


# --- achievement packages -------------------------------------------------------------------
class PackageIn(Strict):
    model_config = example({
        "field": "agriculture", "title": "京津冀节水农业成果包",
        "description": "面向河北粮食主产区的节水灌溉与水肥一体化成果"})
    field: str
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=5000)


class PublishIn(Strict):
    model_config = example({
        "achievement_ids": ["ach-7c1e2f9a", "ach-3b8d4e01"], "note": "2026年第一版"})
    achievement_ids: list[str] = Field(min_length=1, max_length=500)
    note: str = Field(default="", max_length=2000)


@router.post("/packages", status_code=201, tags=["packages"])
async def create_package(body: PackageIn, request: Request,
                         who: Annotated[Principal,
                         Depends(require("package.manage"))]) -> Reply[pkg.AchievementPackage]:
    req = pkg.CreatePackageRequest(**body.model_dump())
    return to_dict(await _call(request, who, "CreatePackage", req))


@router.post("/packages/{package_id}/versions", status_code=201, tags=["packages"])
async def publish_package(package_id: str, body: PublishIn, request: Request,
                          who: Annotated[Principal,
                          Depends(require("package.manage"))]) -> Reply[pkg.AchievementPackage]:
    req = pkg.PublishPackageRequest(package_id=package_id, **body.model_dump())
    return to_dict(await _call(request, who, "PublishPackageVersion", req))


@router.get("/packages/{package_id}", tags=["packages"])
async def get_package(package_id: str, request: Request,
                      who: Annotated[Principal, Depends(require("package.read"))]) -> Reply[pkg.AchievementPackage]:
    return to_dict(await _call(request, who, "GetPackage", pkg.PackageRef(package_id=package_id)))
