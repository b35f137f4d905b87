"""Procurement: catalog applications, review, first set, search, demands, awards, claims."""

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from bth.procurement.v1 import model_pb2
from bth.procurement.v1 import procurement_service_pb2 as pb
from services.common.contracts import to_dict, to_message
from services.common.identity import Principal
from services.gateway.routes.answers import Page, Reply
from services.gateway.routes.base import NoteIn, page, who
from services.gateway.routes.procurement_models import (
    ApplicationIn,
    AwardIn,
    ClaimIn,
    DecisionIn,
    DemandIn,
    FirstSetIn,
    ReviewIn,
)

router = APIRouter(prefix="/api/v1/procurement", tags=["procurement"])


def _body(model: BaseModel, **extra) -> dict:
    return {**model.model_dump(mode="json"), **extra}


async def _call(request: Request, method: str, message, principal: Principal) -> dict:
    clients = request.app.state.clients
    return to_dict(await getattr(clients.procurement, method)(message, **clients.call_options(principal)))


@router.post("/products", status_code=201)
async def apply_product(body: ApplicationIn, request: Request, p: who("procurement.apply")) -> Reply[model_pb2.Product]:
    return await _call(request, "ApplyProduct", to_message(_body(body), pb.ApplyProductRequest), p)


@router.get("/products")
async def search_products(request: Request, p: who("procurement.read"), q: str = "", category: str = "",
                          region: str = "", first_set: bool | None = None, valid_on: datetime | None = None,
                          price_min: str = "", price_max: str = "", page_size: int = Query(20, ge=1, le=200),
                          cursor: str = "", text: str = Query("", deprecated=True, description="use q"),
                          min_price: str = Query("", deprecated=True, description="use price_min"),
                          max_price: str = Query("", deprecated=True,
                          description="use price_max")) -> Page[pb.ProductPage]:
    req = pb.SearchProductsRequest(text=q or text, category=category, region=region,
                                   min_price=price_min or min_price, max_price=price_max or max_price,
                                   page_size=page_size, cursor=cursor)
    if first_set is not None:
        req.first_set = first_set
    if valid_on is not None:
        req.valid_on.FromDatetime(valid_on)
    return page(await _call(request, "SearchProducts", req, p))


@router.get("/products/{product_id}")
async def get_product(product_id: str, request: Request, p: who("procurement.read")) -> Reply[model_pb2.Product]:
    return await _call(request, "GetProduct", pb.ProductRef(product_id=product_id), p)


@router.post("/products/{product_id}/reviews")
async def review_product(product_id: str, body: ReviewIn, request: Request,
                         p: who("procurement.review")) -> Reply[model_pb2.Product]:
    return await _call(request, "ReviewProduct", pb.ReviewProductRequest(product_id=product_id, **_body(body)), p)


@router.post("/products/{product_id}/first-set")
async def apply_first_set(product_id: str, body: FirstSetIn, request: Request,
                          p: who("procurement.apply")) -> Reply[model_pb2.Product]:
    return await _call(request, "ApplyFirstSet", pb.ApplyFirstSetRequest(product_id=product_id, **_body(body)), p)


@router.post("/products/{product_id}/first-set/decision")
async def decide_first_set(product_id: str, body: DecisionIn, request: Request,
                           p: who("procurement.review")) -> Reply[model_pb2.Product]:
    return await _call(request, "DecideFirstSet", pb.DecideRequest(id=product_id, **_body(body)), p)


@router.post("/expire-listings")
async def expire_listings(request: Request, p: who("procurement.operate")) -> Reply[pb.ExpireListingsReply]:
    return await _call(request, "ExpireListings", pb.ExpireListingsRequest(), p)


@router.post("/demands", status_code=201)
async def publish_demand(body: DemandIn, request: Request, p: who("procurement.buy")) -> Reply[model_pb2.Demand]:
    return await _call(request, "PublishDemand", to_message(_body(body), pb.PublishDemandRequest), p)


@router.get("/demands/{demand_id}")
async def get_demand(demand_id: str, request: Request, p: who("procurement.read")) -> Reply[model_pb2.Demand]:
    return await _call(request, "GetDemand", pb.DemandRef(demand_id=demand_id), p)


@router.get("/demands/{demand_id}/suggestions")
async def suggestions(demand_id: str, request: Request, p: who("procurement.read")) -> Reply[model_pb2.Suggestions]:
    return await _call(request, "GetSuggestions", pb.DemandRef(demand_id=demand_id), p)


@router.post("/awards", status_code=201)
async def make_award(body: AwardIn, request: Request, p: who("procurement.buy")) -> Reply[model_pb2.Award]:
    return await _call(request, "MakeAward", to_message(_body(body), pb.MakeAwardRequest), p)


@router.post("/insurance-claims", status_code=201)
async def apply_claim(body: ClaimIn, request: Request, p: who("procurement.apply")) -> Reply[model_pb2.InsuranceClaim]:
    return await _call(request, "ApplyInsuranceClaim", to_message(_body(body), pb.ApplyInsuranceClaimRequest), p)


@router.post("/insurance-claims/{claim_id}/{step}")
async def decide_claim(claim_id: str, step: Literal["review", "settle"], body: DecisionIn, request: Request,
                       p: who("procurement.operate")) -> Reply[model_pb2.InsuranceClaim]:
    method = {"review": "ReviewInsuranceClaim", "settle": "SettleInsuranceClaim"}[step]
    return await _call(request, method, pb.DecideRequest(id=claim_id, **_body(body)), p)


async def _product_action(method: str, product_id: str, body: NoteIn, request: Request, p) -> dict:
    return await _call(request, method, pb.ProductAction(product_id=product_id, note=body.note), p)


@router.post("/products/{product_id}/suspend")
async def suspend_product(product_id: str, body: NoteIn, request: Request,
                          p: who("procurement.operate")) -> Reply[model_pb2.Product]:
    return await _product_action("SuspendProduct", product_id, body, request, p)


@router.post("/products/{product_id}/reinstate")
async def reinstate_product(product_id: str, body: NoteIn, request: Request,
                            p: who("procurement.operate")) -> Reply[model_pb2.Product]:
    return await _product_action("ReinstateProduct", product_id, body, request, p)


@router.post("/products/{product_id}/renew")
async def renew_product(product_id: str, body: NoteIn, request: Request,
                        p: who("procurement.apply")) -> Reply[model_pb2.Product]:
    """The vendor (its own listing, checked by the service) or an operator renews a listing's term."""
    return await _product_action("RenewProduct", product_id, body, request, p)
