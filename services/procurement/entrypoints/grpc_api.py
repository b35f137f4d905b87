"""Procurement gRPC servicer: translation only."""

from bth.procurement.v1 import procurement_service_pb2_grpc
from bth.registry.v1 import achievement_pb2
from services.common.contracts import to_message
from services.common.host import grpc_method
from services.procurement.domain import commands
from services.procurement.service_layer import handlers


class ProcurementServicer(procurement_service_pb2_grpc.ProcurementServiceServicer):
    def __init__(self, deps):
        self.deps = deps

    GetKnownAchievement = grpc_method(
        handlers.get_known_achievement,
        lambda req, who: commands.GetKnownAchievement(who, req.achievement_id),
        lambda doc: to_message(doc, achievement_pb2.Achievement))
