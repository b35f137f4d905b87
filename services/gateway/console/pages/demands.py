"""Procurement staff: publish a demand, see its ranked suggestions with reasons (htmx polls while
the matcher works), award a suggested product, see the awards."""

from datetime import datetime, timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from services.gateway.console import render, session
from services.gateway.console.api import Problem
from services.gateway.console.pages.queues import read
from services.gateway.console.queue_table import BY_NAME

router = APIRouter()
BASE = "/api/v1/procurement"
BEIJING = timezone(timedelta(hours=8))   # dates a person types are Beijing dates


def _end_of_day(date: str) -> str:
    return f"{date}T23:59:59+08:00" if date else ""


def _moment(value: str) -> str:
    """A `datetime-local` value typed in Beijing time as RFC 3339 ('' stays '' for REST to refuse)."""
    return f"{value}:00+08:00" if len(value) == 16 else f"{value}+08:00" if value else ""


@router.get("/demands/new")
async def new_demand(request: Request):
    me = await session.principal(request)
    return render.page(request, "demand_new.html", me=me, form={"region": me.get("region", "")})


@router.post("/demands", dependencies=[Depends(session.check_csrf)])
async def publish(request: Request, need: Annotated[str, Form(max_length=2000)],
                  category: Annotated[str, Form(max_length=100)], budget: Annotated[str, Form(max_length=30)],
                  deadline: Annotated[str, Form(max_length=10)], region: Annotated[str, Form(max_length=20)]):
    me = await session.principal(request)
    form = {"need": need, "category": category, "budget": budget, "deadline": deadline, "region": region}
    try:
        demand = await session.api(request).post(f"{BASE}/demands", {**form, "deadline": _end_of_day(deadline)})
    except Problem as exc:
        return render.page(request, "demand_new.html", status=exc.status, me=me, form=form, error=exc)
    return RedirectResponse(f"/console/demands/{demand['demand_id']}", status_code=303)


async def _demand(request: Request, demand_id: str) -> dict:
    api = session.api(request)
    demand = await api.get(f"{BASE}/demands/{demand_id}")
    suggestions = await api.get(f"{BASE}/demands/{demand_id}/suggestions")
    now = datetime.now(BEIJING).strftime("%Y-%m-%dT%H:%M:%S")
    return {"demand": demand, "suggestions": suggestions.get("items", []), "now": now}


@router.get("/demands/{demand_id}")
async def demand(request: Request, demand_id: str):
    me = await session.principal(request)
    return render.page(request, "demand.html", me=me, **await _demand(request, demand_id))


@router.get("/demands/{demand_id}/suggestions")
async def suggestions(request: Request, demand_id: str):
    """The suggestions section alone (htmx polls it until the matcher has ranked)."""
    me = await session.principal(request)
    return render.page(request, "_suggestions.html", me=me, **await _demand(request, demand_id))


@router.post("/awards", dependencies=[Depends(session.check_csrf)])
async def award(request: Request, demand_id: Annotated[str, Form(max_length=100)],
                product_id: Annotated[str, Form(max_length=100)], amount: Annotated[str, Form(max_length=30)],
                award_date: Annotated[str, Form(max_length=30)]):
    """Award, then show it with the person's awards (a reload re-posts: REST refuses a second award)."""
    me = await session.principal(request)
    body = {"demand_id": demand_id, "product_id": product_id, "amount": amount, "award_date": _moment(award_date)}
    try:
        made = await session.api(request).post(f"{BASE}/awards", body)
    except Problem as exc:
        if exc.status == 401:
            raise session.SignInRequired from None
        return render.page(request, "demand.html", status=exc.status, me=me, error=exc,
                           **await _demand(request, demand_id))
    return await _awards(request, me, made, status=201)


async def _awards(request: Request, me: dict, made: dict | None = None, status: int = 200):
    rows, next_cursor = await read(request, BY_NAME["my-awards"])
    return render.page(request, "awards.html", status=status, me=me, rows=rows, next_cursor=next_cursor,
                       made=made)


@router.get("/awards")
async def awards(request: Request):
    return await _awards(request, await session.principal(request))
