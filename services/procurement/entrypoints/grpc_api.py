"""Procurement gRPC servicer: translation only."""

from datetime import UTC

from bth.procurement.v1 import model_pb2, procurement_service_pb2, procurement_service_pb2_grpc
from bth.registry.v1 import achievement_pb2
from services.common.contracts import to_dict, to_message, to_plain
from services.common.host import grpc_method
from services.procurement.domain import commands as c
from services.procurement.service_layer import handlers as h


def _time(req, name):
    return getattr(req, name).ToDatetime(tzinfo=UTC) if req.HasField(name) else None


def _reply(cls):
    return lambda aggregate: to_message(aggregate.snapshot() if hasattr(aggregate, "snapshot")
                                        else to_plain(aggregate), cls)


def _page(result):
    items, cursor = result
    return procurement_service_pb2.ProductPage(items=[_reply(model_pb2.Product)(p) for p in items],
                                               next_cursor=cursor)


def _search(req, who):
    plain = to_dict(req)
    plain.pop("valid_on", None)
    plain["first_set"] = req.first_set if req.HasField("first_set") else None
    return c.SearchProducts(who, valid_on=_time(req, "valid_on"), **plain)


def _action(cmd):
    return lambda req, who: cmd(who, req.product_id, req.note)


def _decide(cmd):
    return lambda req, who: cmd(who, req.id, req.approve, req.note)


Product, Demand, Award = _reply(model_pb2.Product), _reply(model_pb2.Demand), _reply(model_pb2.Award)
Claim = _reply(model_pb2.InsuranceClaim)


class ProcurementServicer(procurement_service_pb2_grpc.ProcurementServiceServicer):
    def __init__(self, deps):
        self.deps = deps

    GetKnownAchievement = grpc_method(h.get_known_achievement,
                                      lambda req, who: c.GetKnownAchievement(who, req.achievement_id),
                                      lambda doc: to_message(doc, achievement_pb2.Achievement))
    ApplyProduct = grpc_method(h.catalog.apply_product, lambda req, who: c.ApplyProduct(who, **to_dict(req)),
                               Product)
    ReviewProduct = grpc_method(h.catalog.review_product,
                                lambda req, who: c.ReviewProduct(who, req.product_id, req.score, req.opinion), Product)
    SuspendProduct = grpc_method(h.catalog.suspend_product, _action(c.SuspendProduct), Product)
    ReinstateProduct = grpc_method(h.catalog.reinstate_product, _action(c.ReinstateProduct), Product)
    RenewProduct = grpc_method(h.catalog.renew_product, _action(c.RenewProduct), Product)
    GetProduct = grpc_method(h.catalog.get_product, lambda req, who: c.GetProduct(who, req.product_id), Product)
    SearchProducts = grpc_method(h.search.search_products, _search, _page)
    ExpireListings = grpc_method(h.catalog.expire_now, lambda req, who: c.ExpireListings(who),
                                 lambda ids: procurement_service_pb2.ExpireListingsReply(expired=ids))
    ApplyFirstSet = grpc_method(h.catalog.apply_first_set, lambda req, who: c.ApplyFirstSet(
        who, req.product_id, req.own_ip, req.major_breakthrough, req.units_sold_in_region, req.note), Product)
    DecideFirstSet = grpc_method(h.catalog.decide_first_set, _decide(c.DecideFirstSet), Product)
    PublishDemand = grpc_method(h.demands.publish_demand, lambda req, who: c.PublishDemand(
        who, req.need, req.category, req.budget, _time(req, "deadline"), req.region), Demand)
    GetDemand = grpc_method(h.demands.get_demand, lambda req, who: c.GetDemand(who, req.demand_id), Demand)
    GetSuggestions = grpc_method(h.demands.get_suggestions, lambda req, who: c.GetSuggestions(who, req.demand_id),
                                 _reply(model_pb2.Suggestions))
    MakeAward = grpc_method(h.demands.make_award, lambda req, who: c.MakeAward(
        who, req.demand_id, req.product_id, req.amount, _time(req, "award_date")), Award)
    ApplyInsuranceClaim = grpc_method(h.demands.apply_insurance_claim, lambda req, who: c.ApplyInsuranceClaim(
        who, req.product_id, req.amount, req.reason), Claim)
    ReviewInsuranceClaim = grpc_method(h.demands.review_insurance_claim, _decide(c.ReviewInsuranceClaim), Claim)
    SettleInsuranceClaim = grpc_method(h.demands.settle_insurance_claim, _decide(c.SettleInsuranceClaim), Claim)
