"""Incubation gRPC servicer: translation only, each method an entry of services/common/rpc.py."""

from bth.incubation.v1 import case_pb2, incubation_service_pb2_grpc, incubator_pb2, station_pb2
from bth.incubation.v1 import incubation_service_pb2 as pb
from bth.registry.v1 import achievement_pb2
from services.common.contracts import to_dict, to_message
from services.common.rpc import reply, rpc, work_queue
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

    GetKnownAchievement = rpc(
        lambda req, who: c.GetKnownAchievement(who, req.achievement_id),
        lambda doc: to_message(doc, achievement_pb2.Achievement))

    ApplyStation = rpc(lambda r, who: c.ApplyStation(who, **to_dict(r)),
                               reply(station_pb2.Station))
    ApproveStation, RejectStation = station_move("approve"), station_move("reject")
    SuspendStation, ReinstateStation = station_move("suspend"), station_move("reinstate")
    FileStationReport = rpc(lambda r, who: c.FileStationReport(
        who, r.station_id, r.year, r.services_delivered, r.enterprises_served, r.achievements_landed),
        reply(station_pb2.Station))
    GetStation = rpc(lambda r, who: c.GetStation(who, r.station_id),
                             reply(station_pb2.Station))
    ListStations = rpc(lambda r, who: c.ListStations(who, **to_dict(r)),
                               reply(pb.StationPage))
    GetStationRanking = rpc(lambda r, who: c.RankStations(who, r.year),
                                    reply(pb.StationRanking))
    GetStationDashboard = rpc(lambda r, who: c.GetStationDashboard(who, r.station_id),
                                      reply(pb.StationDashboard))

    RegisterIncubator = rpc(lambda r, who: c.RegisterIncubator(who, **to_dict(r)),
                                    reply(incubator_pb2.Incubator))
    AdmitEnterprise = rpc(lambda r, who: c.AdmitEnterprise(who, **to_dict(r)),
                                  reply(incubator_pb2.Incubator))
    GraduateEnterprise = rpc(lambda r, who: c.ReleaseEnterprise(
        who, r.incubator_id, r.enterprise_id, True), reply(incubator_pb2.Incubator))
    RemoveEnterprise = rpc(lambda r, who: c.ReleaseEnterprise(
        who, r.incubator_id, r.enterprise_id, False), reply(incubator_pb2.Incubator))
    GetIncubator = rpc(lambda r, who: c.GetIncubator(who, r.incubator_id),
                               reply(incubator_pb2.Incubator))
    GetIncubatorCounts = rpc(lambda r, who: c.CountIncubators(who, **to_dict(r)),
                                     reply(pb.IncubatorCounts))

    SubmitCase = rpc(lambda r, who: c.SubmitCase(
        who, r.achievement_id, to_dict(r.receiver), r.transfer_mode, r.station_id, list(r.services), r.note),
        reply(case_pb2.Case))
    AcceptCase, ReviewCase, ApproveCase = case_action("accept"), case_action("review"), case_action("approve")
    LandCase, CloseCase = case_action("land"), case_action("close")
    RejectCase, WithdrawCase = case_action("reject"), case_action("withdraw")
    GetCase = rpc(lambda r, who: c.GetCase(who, r.case_id), reply(case_pb2.Case))
    ListCases = rpc(lambda r, who: c.ListCases(who, **to_dict(r)), reply(pb.CasePage))
    DetectSlaBreaches = rpc(lambda r, who: c.DetectSlaBreaches(),
                            lambda ids: pb.DetectSlaBreachesReply(case_ids=ids))

    StationQueue = work_queue(q.StationQueue, pb.StationPage, station_pb2.Station)
    CaseQueue = work_queue(q.CaseQueue, pb.CasePage, case_pb2.Case)
