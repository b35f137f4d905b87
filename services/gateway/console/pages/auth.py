"""Sign in (the OAuth token endpoint's password grant, called in-process), sign out (the token
revoked through the RFC 7009 endpoint), home."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from services.common import logs
from services.gateway.console import render, session
from services.gateway.console.api import Api, Problem

router = APIRouter()
LOG = logs.get("console")


def _safe_next(target: str) -> str:
    """Only a console path (never another site: no scheme, no //host)."""
    return target if target.startswith("/console/") and not target.startswith("//") else "/console/"


async def _dev_clock(request: Request, me: dict) -> dict | None:
    """The development clock as REST shows it to an operator (None where it is off: 404)."""
    if "operator" not in me.get("roles", []):
        return None
    try:
        return await session.api(request).get("/api/v1/dev/clock")
    except Problem as exc:
        if exc.status in (403, 404):
            return None
        raise


@router.get("/")
async def home(request: Request):
    me = await session.principal(request)
    return render.page(request, "home.html", me=me, clock=await _dev_clock(request, me))


@router.post("/dev/clock", dependencies=[Depends(session.check_csrf)])
async def advance_clock(request: Request, days: Annotated[str, Form(max_length=4)] = "0",
                        hours: Annotated[str, Form(max_length=3)] = "0"):
    """The console's button for POST /api/v1/dev/clock (development only; REST refuses elsewhere)."""
    me = await session.principal(request)
    body = {"days": int(days) if days.strip().isdigit() else days, "hours": int(hours) if hours.strip().isdigit()
            else hours}
    try:
        moved = await session.api(request).post("/api/v1/dev/clock", body)
    except Problem as exc:
        return render.page(request, "home.html", status=exc.status, me=me, error=exc,
                           clock=await _dev_clock(request, me))
    return render.page(request, "home.html", me=me, clock=moved, applied=moved.get("applied", {}))


@router.get("/signin")
async def signin_form(request: Request, next: str = "/console/"):
    return render.page(request, "signin.html", next=_safe_next(next))


@router.post("/signin", dependencies=[Depends(session.check_csrf)])
async def signin(request: Request, username: Annotated[str, Form(max_length=64)],
                 password: Annotated[str, Form(max_length=200)], next: Annotated[str, Form(max_length=500)] = ""):
    api = Api(session.gateway(request), client=session.client_address(request))
    try:
        token = await api.post("/api/v1/oauth/token", form={"grant_type": "password", "username": username,
                                                             "password": password})
    except Problem as exc:
        return render.page(request, "signin.html", status=exc.status, error=exc, next=_safe_next(next),
                           username=username)
    response = RedirectResponse(_safe_next(next), status_code=303)
    return session.remember(request, session.sign_in(request, response, token))


@router.post("/signout", dependencies=[Depends(session.check_csrf)])
async def signout(request: Request):
    """The token is revoked (RFC 7009), not only forgotten: a copy of the cookie is refused too."""
    token = request.cookies.get(session.TOKEN_COOKIE, "")
    if token:
        try:
            await Api(session.gateway(request), client=session.client_address(request)).post(
                "/api/v1/oauth/revoke", form={"token": token})
        except Problem as exc:   # the store is down: the cookie still goes; the token expires by itself
            LOG.warning("console sign-out could not revoke the token", status=exc.status, detail=exc.detail)
    return session.sign_out(RedirectResponse("/console/signin", status_code=303))
