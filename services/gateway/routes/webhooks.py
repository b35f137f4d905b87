"""Webhook subscriptions of partner systems, their deliveries, and redelivery."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import Field

from services.common import errors
from services.common.clock import SystemClock
from services.common.identity import Principal
from services.gateway import webhooks
from services.gateway.answer_models import (
    DeliveryPage,
    Redeliveries,
    SubscriptionCreated,
    SubscriptionOut,
    SubscriptionPage,
)
from services.gateway.auth import require
from services.gateway.routes.answers import Reply
from services.gateway.routes.base import Strict, example

router = APIRouter(prefix="/api/v1/webhooks", tags=["webhooks"])
Manager = Annotated[Principal, Depends(require("webhooks.manage"))]
CLOCK = SystemClock()


class SubscriptionIn(Strict):
    model_config = example({
        "url": "https://partner.tj.example.cn/hooks/bth", "description": "Tianjin registry sync",
        "event_types": ["bth.registry.v1.AchievementSubmitted"]})
    url: str = Field(min_length=8, max_length=2000)
    event_types: list[str] = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=200)


class RangeIn(Strict):
    model_config = example({
        "since": "2026-01-05T00:00:00Z", "until": "2026-01-06T00:00:00Z", "state": "failed"})
    since: datetime
    until: datetime
    state: Literal["any", "failed", "delivered"] = "any"


@router.post("", status_code=201, summary="Subscribe a URL to event types (the signing secret is shown once)")
async def subscribe(body: SubscriptionIn, request: Request, who: Manager) -> Reply[SubscriptionCreated]:
    s = request.app.state.settings
    url = await webhooks.check_url(body.url, s)
    types = webhooks.check_types(body.event_types)
    doc = await webhooks.subscribe(request.app.state.db, CLOCK.now(), who, url, types, body.description)
    return webhooks.public_subscription(doc, secret=True)


@router.get("", summary="Your subscriptions")
async def list_subscriptions(request: Request, who: Manager) -> Reply[SubscriptionPage]:
    query = {} if "operator" in who.roles else {"owner": who.subject}
    docs = await request.app.state.db[webhooks.SUBSCRIPTIONS].find(query).sort("created_at", 1).to_list()
    return {"items": [webhooks.public_subscription(d) for d in docs], "next_cursor": ""}


@router.get("/{subscription_id}", summary="One subscription")
async def get_subscription(subscription_id: str, request: Request, who: Manager) -> Reply[SubscriptionOut]:
    return webhooks.public_subscription(await webhooks.owned(request.app.state.db, who, subscription_id))


@router.delete("/{subscription_id}", status_code=204, summary="Stop a subscription")
async def unsubscribe(subscription_id: str, request: Request, who: Manager) -> Response:
    db = request.app.state.db
    await webhooks.owned(db, who, subscription_id)
    await db[webhooks.SUBSCRIPTIONS].update_one({"_id": subscription_id}, {"$set": {"active": False}})
    return Response(status_code=204)


@router.get("/{subscription_id}/deliveries", summary="Deliveries of a subscription, oldest first")
async def deliveries(subscription_id: str, request: Request, who: Manager,
                     state: Literal["pending", "delivered", "failed", "cancelled"] | None = None,
                     page_size: int = Query(50, ge=1, le=500), cursor: str = Query("", max_length=200)
                     ) -> Reply[DeliveryPage]:
    db = request.app.state.db
    await webhooks.owned(db, who, subscription_id)
    query: dict = {"subscription_id": subscription_id}
    if state:
        query["state"] = state
    if cursor:
        query["_id"] = {"$gt": cursor}
    docs = await db[webhooks.DELIVERIES].find(query).sort("_id", 1).limit(page_size + 1).to_list()
    items = [webhooks.public_delivery(d) for d in docs[:page_size]]
    return {"items": items, "next_cursor": items[-1]["delivery_id"] if len(docs) > page_size else ""}


@router.post("/{subscription_id}/deliveries/{delivery_id}/redeliver", status_code=202,
             summary="Send one delivery's event again")
async def redeliver_one(subscription_id: str, delivery_id: str, request: Request,
                        who: Manager) -> Reply[Redeliveries]:
    db = request.app.state.db
    sub = await webhooks.owned(db, who, subscription_id)
    d = await db[webhooks.DELIVERIES].find_one({"_id": delivery_id, "subscription_id": subscription_id})
    if d is None:
        raise errors.NotFound(f"delivery {delivery_id} does not exist", "delivery_id")
    ids = await webhooks.redeliver(db, sub, [d], CLOCK.now())
    request.app.state.wake_delivery()
    return {"redelivery_ids": ids}


@router.post("/{subscription_id}/redeliver", status_code=202,
             summary="Send again every delivery created in a time range")
async def redeliver_range(subscription_id: str, body: RangeIn, request: Request,
                          who: Manager) -> Reply[Redeliveries]:
    errors.require(body.since < body.until, "since must be before until", "since")
    db = request.app.state.db
    sub = await webhooks.owned(db, who, subscription_id)
    query: dict = {"subscription_id": subscription_id, "created_at": {"$gte": body.since, "$lt": body.until}}
    if body.state != "any":
        query["state"] = body.state
    docs = [d for d in await db[webhooks.DELIVERIES].find(query).sort("seq", 1).limit(10_000).to_list()
            if ":r" not in d["_id"]]   # originals only
    ids = await webhooks.redeliver(db, sub, docs, CLOCK.now())
    request.app.state.wake_delivery()
    return {"redelivery_ids": ids, "count": len(ids)}
