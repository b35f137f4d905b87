"""Incubation gRPC servicer: translation only, each method an entry of services/common/rpc.py."""

from bth.incubation.v1 import case_pb2, incubation_service_pb2_grpc, incubator_pb2, station_pb2
from bth.incubation.v1 import incubation_service_pb2 as pb
from bth.registry.v1 import achievement_pb2
from services.common.contracts import to_message
from services.common.rpc import from_request, reply, rpc, work_queue
from services.incubation.domain import commands as c
from services.incubation.domain import queues as q
from services.incubation.service_layer import handlers


def station_move(action):
    return rpc(lambda r, who: c.ChangeStation(who, r.station_id, action, r.note),
                       reply(station_pb2.Station))


def case_action(action):
    return rpc(lambda r, who: c.ActOnCase(who, r.case_id, action, r.note, r.amount),
                       reply(case_pb2.Case))


class IncubationServicer(incubation_service_pb2_grpc.IncubationServiceServicer):
    def __init__(self, deps):
        self.deps, self.bus = deps, handlers.bus(deps)   # each method: request → command → bus → reply

    GetKnownAchievement = rpc(from_request(c.GetKnownAchievement),
                              lambda doc: to_message(doc, achievement_pb2.Achievement))

    ApplyStation = rpc(from_request(c.ApplyStation), reply(station_pb2.Station))
    ApproveStation, RejectStation = station_move("approve"), station_move("reject")
    SuspendStation, ReinstateStation = station_move("suspend"), station_move("reinstate")
    FileStationReport = rpc(from_request(c.FileStationReport), reply(station_pb2.Station))
    GetStation = rpc(from_request(c.GetStation), reply(station_pb2.Station))
    ListStations = rpc(from_request(c.ListStations), reply(pb.StationPage))
    GetStationRanking = rpc(from_request(c.RankStations), reply(pb.StationRanking))
    GetStationDashboard = rpc(from_request(c.GetStationDashboard), reply(pb.StationDashboard))

    RegisterIncubator = rpc(from_request(c.RegisterIncubator), reply(incubator_pb2.Incubator))
    AdmitEnterprise = rpc(from_request(c.AdmitEnterprise), reply(incubator_pb2.Incubator))
    GraduateEnterprise = rpc(lambda r, who: c.ReleaseEnterprise(
        who, r.incubator_id, r.enterprise_id, True), reply(incubator_pb2.Incubator))
    RemoveEnterprise = rpc(lambda r, who: c.ReleaseEnterprise(
        who, r.incubator_id, r.enterprise_id, False), reply(incubator_pb2.Incubator))
    GetIncubator = rpc(from_request(c.GetIncubator), reply(incubator_pb2.Incubator))
    GetIncubatorCounts = rpc(from_request(c.CountIncubators), reply(pb.IncubatorCounts))

    SubmitCase = rpc(from_request(c.SubmitCase), reply(case_pb2.Case))
    AcceptCase, ReviewCase, ApproveCase = case_action("accept"), case_action("review"), case_action("approve")
    LandCase, CloseCase = case_action("land"), case_action("close")
    RejectCase, WithdrawCase = case_action("reject"), case_action("withdraw")
    GetCase = rpc(from_request(c.GetCase), reply(case_pb2.Case))
    ListCases = rpc(from_request(c.ListCases), reply(pb.CasePage))
    DetectSlaBreaches = rpc(lambda r, who: c.DetectSlaBreaches(),
                            lambda ids: pb.DetectSlaBreachesReply(case_ids=ids))

    StationQueue = work_queue(q.StationQueue, pb.StationPage, station_pb2.Station)
    CaseQueue = work_queue(q.CaseQueue, pb.CasePage, case_pb2.Case)
