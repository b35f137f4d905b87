"""Procurement gRPC servicer, built from the RPC table: request → command → bus → reply
(services.common.rpc). Translation only; the bus holds the retry and the unit of work."""

from datetime import UTC

from bth.procurement.v1 import model_pb2, procurement_service_pb2, procurement_service_pb2_grpc
from bth.registry.v1 import achievement_pb2
from services.common.contracts import to_dict, to_message, to_plain
from services.common.rpc import from_request, rpc, servicer, work_queue
from services.procurement.domain import commands as c
from services.procurement.domain import queues as q
from services.procurement.service_layer import handlers


def _time(req, name):
    return getattr(req, name).ToDatetime(tzinfo=UTC) if req.HasField(name) else None


def _reply(cls):
    return lambda aggregate: to_message(aggregate.snapshot() if hasattr(aggregate, "snapshot")
                                        else to_plain(aggregate), cls)


Product, Demand, Award = _reply(model_pb2.Product), _reply(model_pb2.Demand), _reply(model_pb2.Award)
Claim, Suggestions = _reply(model_pb2.InsuranceClaim), _reply(model_pb2.Suggestions)


def _page(result) -> procurement_service_pb2.ProductPage:
    items, cursor = result
    return procurement_service_pb2.ProductPage(items=[Product(p) for p in items], next_cursor=cursor)


def _search(req, who) -> c.SearchProducts:
    plain = to_dict(req)
    plain.pop("valid_on", None)
    plain["first_set"] = req.first_set if req.HasField("first_set") else None
    return c.SearchProducts(who, valid_on=_time(req, "valid_on"), **plain)


RPCS = {
    "GetKnownAchievement": rpc(from_request(c.GetKnownAchievement),
                               lambda doc: to_message(doc, achievement_pb2.Achievement)),
    "ApplyProduct": rpc(from_request(c.ApplyProduct), Product),
    "ReviewProduct": rpc(from_request(c.ReviewProduct), Product),
    "SuspendProduct": rpc(from_request(c.SuspendProduct), Product),
    "ReinstateProduct": rpc(from_request(c.ReinstateProduct), Product),
    "RenewProduct": rpc(from_request(c.RenewProduct), Product),
    "GetProduct": rpc(from_request(c.GetProduct), Product),
    "SearchProducts": rpc(_search, _page),
    "ExpireListings": rpc(lambda req, who: c.ExpireListings(who),
                          lambda ids: procurement_service_pb2.ExpireListingsReply(expired=ids)),
    "ApplyFirstSet": rpc(from_request(c.ApplyFirstSet), Product),
    "DecideFirstSet": rpc(from_request(c.DecideFirstSet), Product),
    "PublishDemand": rpc(lambda req, who: c.PublishDemand(
        who, req.need, req.category, req.budget, _time(req, "deadline"), req.region), Demand),
    "GetDemand": rpc(from_request(c.GetDemand), Demand),
    "GetSuggestions": rpc(from_request(c.GetSuggestions), Suggestions),
    "MakeAward": rpc(lambda req, who: c.MakeAward(
        who, req.demand_id, req.product_id, req.amount, _time(req, "award_date")), Award),
    "ApplyInsuranceClaim": rpc(from_request(c.ApplyInsuranceClaim), Claim),
    "ReviewInsuranceClaim": rpc(from_request(c.ReviewInsuranceClaim), Claim),
    "SettleInsuranceClaim": rpc(from_request(c.SettleInsuranceClaim), Claim),
    "ProductQueue": work_queue(q.ProductQueue, procurement_service_pb2.ProductPage, model_pb2.Product),
    "ClaimQueue": work_queue(q.ClaimQueue, procurement_service_pb2.ClaimPage, model_pb2.InsuranceClaim),
    "DemandQueue": work_queue(q.DemandQueue, procurement_service_pb2.DemandPage, model_pb2.Demand),
    "AwardQueue": work_queue(q.AwardQueue, procurement_service_pb2.AwardPage, model_pb2.Award),
}

ProcurementServicer = servicer("ProcurementServicer", procurement_service_pb2_grpc.ProcurementServiceServicer,
                               RPCS, handlers.bus)
