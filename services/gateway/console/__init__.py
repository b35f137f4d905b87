"""The web console at /console/: server-rendered pages (Jinja2 + htmx, every asset served from
here) for procurement staff, reviewers, experts, operators and stations. Each page module is a
router; every action is a call of the gateway's own REST API with the person's token (api.py)."""

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from services.gateway.console import render, session
from services.gateway.console.api import Problem
from services.gateway.console.pages import auth, cases, catalog, demands, queues, tradingmap

STATIC = Path(__file__).parent / "static"


def redirect(request: Request, to: str) -> Response:
    """A 303 that htmx follows as a full navigation too."""
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": to})
    return RedirectResponse(to, status_code=303)


async def _sign_in_first(request: Request, exc: session.SignInRequired) -> Response:
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return session.sign_out(redirect(request, f"/console/signin?next={quote(back)}"))


async def _refused(request: Request, exc: Problem) -> Response:
    return render.page(request, "error.html", status=exc.status, error=exc)


async def _http_error(request: Request, exc: HTTPException) -> Response:
    return render.page(request, "error.html", status=exc.status_code,
                       error=Problem(exc.status_code, str(exc.detail)))


def create_console(gateway: FastAPI) -> FastAPI:
    console = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    console.state.gateway = gateway
    console.add_exception_handler(session.SignInRequired, _sign_in_first)
    console.add_exception_handler(Problem, _refused)
    console.add_exception_handler(HTTPException, _http_error)
    console.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (auth, catalog, demands, queues, cases, tradingmap):
        console.include_router(module.router)
    return console
