"""Incubation: cooperation stations, incubators and green-channel cases (REST → incubation gRPC)."""


from fastapi import APIRouter, Query, Request

from bth.incubation.v1 import case_pb2, incubator_pb2, station_pb2
from bth.incubation.v1 import incubation_service_pb2 as pb
from services.common.contracts import to_dict, to_message
from services.common.identity import Principal
from services.gateway.routes.answers import Page, Reply
from services.gateway.routes.base import NoteIn, page, who
from services.gateway.routes.incubation_models import (
    CaseIn,
    EnterpriseIn,
    IncubatorIn,
    LandIn,
    ReportIn,
    StationIn,
)

router = APIRouter(prefix="/api/v1/incubation", tags=["incubation"])
async def _call(request: Request, method: str, message, principal: Principal) -> dict:
    clients = request.app.state.clients
    return to_dict(await getattr(clients.incubation, method)(message, **clients.call_options(principal)))


# --- cooperation stations ---
@router.post("/stations", status_code=201)
async def apply_station(body: StationIn, request: Request,
                        p: who("incubation.station.apply")) -> Reply[station_pb2.Station]:
    return await _call(request, "ApplyStation", to_message(body.model_dump(), pb.ApplyStationRequest), p)


@router.get("/stations")
async def list_stations(request: Request, p: who("incubation.read"), region: str = "", status: str = "",
                        page_size: int = Query(20, ge=1, le=200), cursor: str = "") -> Page[pb.StationPage]:
    return page(await _call(request, "ListStations", pb.ListStationsRequest(
        region=region, status=status, page_size=page_size, cursor=cursor), p))


@router.get("/stations/ranking")
async def station_ranking(request: Request, p: who("incubation.read"), year: int = Query(ge=2000,
                          le=2100)) -> Reply[pb.StationRanking]:
    return await _call(request, "GetStationRanking", pb.RankingRequest(year=year), p)


@router.get("/stations/{station_id}")
async def get_station(station_id: str, request: Request, p: who("incubation.read")) -> Reply[station_pb2.Station]:
    return await _call(request, "GetStation", pb.StationRef(station_id=station_id), p)


@router.get("/stations/{station_id}/dashboard")
async def station_dashboard(station_id: str, request: Request,
                            p: who("incubation.dashboard")) -> Reply[pb.StationDashboard]:
    return await _call(request, "GetStationDashboard", pb.StationRef(station_id=station_id), p)


@router.post("/stations/{station_id}/reports")
async def file_report(station_id: str, body: ReportIn, request: Request,
                      p: who("incubation.station.report")) -> Reply[station_pb2.Station]:
    return await _call(request, "FileStationReport", pb.FileStationReportRequest(
        station_id=station_id, **body.model_dump()), p)


def _station_move(action: str, method: str) -> None:
    async def move(station_id: str, request: Request, p: who("incubation.station.decide"),
                   body: NoteIn | None = None) -> Reply[station_pb2.Station]:
        return await _call(request, method, pb.StationAction(station_id=station_id, note=(body or NoteIn()).note), p)
    move.__name__ = f"{action}_station"
    router.post(f"/stations/{{station_id}}/{action}", name=f"{action}_station")(move)


for _action, _method in (("approve", "ApproveStation"), ("reject", "RejectStation"),
                         ("suspend", "SuspendStation"), ("reinstate", "ReinstateStation")):
    _station_move(_action, _method)


# --- incubators ---
@router.post("/incubators", status_code=201)
async def register_incubator(body: IncubatorIn, request: Request,
                             p: who("incubation.incubator.manage")) -> Reply[incubator_pb2.Incubator]:
    return await _call(request, "RegisterIncubator", to_message(body.model_dump(), pb.RegisterIncubatorRequest), p)


@router.get("/incubators/counts")
async def incubator_counts(request: Request, p: who("incubation.read"), region: str = "",
                           sponsor: str = "") -> Reply[pb.IncubatorCounts]:
    return await _call(request, "GetIncubatorCounts", pb.IncubatorCountsRequest(region=region, sponsor=sponsor), p)


@router.get("/incubators/{incubator_id}")
async def get_incubator(incubator_id: str, request: Request,
                        p: who("incubation.read")) -> Reply[incubator_pb2.Incubator]:
    return await _call(request, "GetIncubator", pb.IncubatorRef(incubator_id=incubator_id), p)


@router.post("/incubators/{incubator_id}/enterprises", status_code=201)
async def admit_enterprise(incubator_id: str, body: EnterpriseIn, request: Request,
                           p: who("incubation.incubator.manage")) -> Reply[incubator_pb2.Incubator]:
    return await _call(request, "AdmitEnterprise", pb.AdmitEnterpriseRequest(
        incubator_id=incubator_id, **body.model_dump()), p)


@router.post("/incubators/{incubator_id}/enterprises/{enterprise_id}/graduate")
async def graduate_enterprise(incubator_id: str, enterprise_id: str, request: Request,
                              p: who("incubation.incubator.manage")) -> Reply[incubator_pb2.Incubator]:
    return await _call(request, "GraduateEnterprise", pb.EnterpriseRef(
        incubator_id=incubator_id, enterprise_id=enterprise_id), p)


@router.post("/incubators/{incubator_id}/enterprises/{enterprise_id}/leave")
async def enterprise_left(incubator_id: str, enterprise_id: str, request: Request,
                          p: who("incubation.incubator.manage")) -> Reply[incubator_pb2.Incubator]:
    return await _call(request, "RemoveEnterprise", pb.EnterpriseRef(
        incubator_id=incubator_id, enterprise_id=enterprise_id), p)


# --- green-channel cases ---
@router.post("/cases", status_code=201)
async def submit_case(body: CaseIn, request: Request, p: who("incubation.case.submit")) -> Reply[case_pb2.Case]:
    return await _call(request, "SubmitCase", to_message(body.model_dump(), pb.SubmitCaseRequest), p)


@router.get("/cases")
async def list_cases(request: Request, p: who("incubation.case.read"), station_id: str = "", stage: str = "",
                     region: str = "", overdue: bool = False, page_size: int = Query(20, ge=1, le=200),
                     cursor: str = "") -> Page[pb.CasePage]:
    return page(await _call(request, "ListCases", pb.ListCasesRequest(
        station_id=station_id, stage=stage, region=region, overdue=overdue, page_size=page_size, cursor=cursor), p))


@router.get("/cases/{case_id}")
async def get_case(case_id: str, request: Request, p: who("incubation.case.read")) -> Reply[case_pb2.Case]:
    return await _call(request, "GetCase", pb.CaseRef(case_id=case_id), p)


@router.post("/cases/{case_id}/land")
async def land_case(case_id: str, body: LandIn, request: Request,
                    p: who("incubation.case.land")) -> Reply[case_pb2.Case]:
    return await _call(request, "LandCase", pb.CaseAction(case_id=case_id, note=body.note,
                                                          amount=f"{body.amount:.2f}"), p)


def _case_move(action: str, method: str, permission: str) -> None:
    async def move(case_id: str, request: Request, p: who(permission),
                   body: NoteIn | None = None) -> Reply[case_pb2.Case]:
        return await _call(request, method, pb.CaseAction(case_id=case_id, note=(body or NoteIn()).note), p)
    move.__name__ = f"{action}_case"
    router.post(f"/cases/{{case_id}}/{action}", name=f"{action}_case")(move)


for _action, _method, _permission in (
        ("accept", "AcceptCase", "incubation.case.handle"), ("review", "ReviewCase", "incubation.case.handle"),
        ("approve", "ApproveCase", "incubation.case.handle"), ("close", "CloseCase", "incubation.case.handle"),
        ("reject", "RejectCase", "incubation.case.handle"), ("withdraw", "WithdrawCase", "incubation.case.withdraw")):
    _case_move(_action, _method, _permission)
