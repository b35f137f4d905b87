"""Incubation gRPC servicer: translation only."""

from bth.incubation.v1 import incubation_service_pb2_grpc
from bth.registry.v1 import achievement_pb2
from services.common.contracts import to_message
from services.common.host import grpc_method
from services.incubation.domain import commands
from services.incubation.service_layer import handlers


class IncubationServicer(incubation_service_pb2_grpc.IncubationServiceServicer):
    def __init__(self, deps):
        self.deps = deps

    GetKnownAchievement = grpc_method(
        handlers.get_known_achievement,
        lambda req, who: commands.GetKnownAchievement(who, req.achievement_id),
        lambda doc: to_message(doc, achievement_pb2.Achievement))
