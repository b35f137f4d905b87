"""Registry gRPC servicer: decode, build the command, call the handler, encode. No logic."""

from bth.registry.v1 import achievement_pb2, registry_service_pb2_grpc
from services.common.contracts import to_dict, to_message
from services.common.host import grpc_method
from services.registry.domain import commands
from services.registry.service_layer import handlers


def achievement_reply(a) -> achievement_pb2.Achievement:
    return to_message(a.snapshot(), achievement_pb2.Achievement)


class RegistryServicer(registry_service_pb2_grpc.RegistryServiceServicer):
    def __init__(self, deps):
        self.deps = deps

    DraftAchievement = grpc_method(
        handlers.draft_achievement,
        lambda req, who: commands.DraftAchievement(actor=who, **to_dict(req)), achievement_reply)
    SubmitAchievement = grpc_method(
        handlers.submit_achievement,
        lambda req, who: commands.SubmitAchievement(who, req.achievement_id), achievement_reply)
    GetAchievement = grpc_method(
        handlers.get_achievement,
        lambda req, who: commands.GetAchievement(who, req.achievement_id), achievement_reply)
