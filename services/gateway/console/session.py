"""The console's session: the access token from the OAuth token endpoint in an HttpOnly,
SameSite=Strict cookie; a CSRF token (double submit: a random cookie echoed in every POST's
form field `csrf_token` or header `X-CSRF-Token`, compared in constant time); the language."""

import hmac
import secrets

from fastapi import HTTPException, Request
from fastapi.responses import Response

from services.gateway.console.api import Api, Problem

TOKEN_COOKIE, CSRF_COOKIE, LANG_COOKIE = "bth_console_token", "bth_console_csrf", "bth_console_lang"
LANGS = ("zh", "en")
PREFIX = "/console"


class SignInRequired(Exception):
    """No (valid) token: the page sends the person to the sign-in page."""


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def gateway(request: Request):
    return request.app.state.gateway


def client_address(request: Request) -> tuple[str, int]:
    return (request.client.host, request.client.port) if request.client else ("127.0.0.1", 0)


def api(request: Request) -> Api:
    return Api(gateway(request), request.cookies.get(TOKEN_COOKIE, ""), client_address(request))


async def principal(request: Request) -> dict:
    """Who is signed in, as REST's /me says (a missing, expired or revoked token: sign in)."""
    if not request.cookies.get(TOKEN_COOKIE):
        raise SignInRequired
    try:
        return await api(request).get("/api/v1/me")
    except Problem as exc:
        if exc.status == 401:
            raise SignInRequired from None
        raise


def csrf_token(request: Request) -> str:
    """This browser's CSRF token (made on first sight; `remember` puts it in the cookie)."""
    if not hasattr(request.state, "csrf"):
        request.state.csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
    return request.state.csrf


async def check_csrf(request: Request) -> None:
    """Dependency of every console POST: the echoed token must equal the cookie's."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get("x-csrf-token", "")
    if not sent:
        form = await request.form()
        sent = str(form.get("csrf_token", ""))
    if not cookie or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise HTTPException(403, "CSRF token missing or wrong")


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE, "")
    return chosen if chosen in LANGS else "zh"


def remember(request: Request, response: Response) -> Response:
    """Cookies every console response carries: the CSRF token and the chosen language."""
    if request.cookies.get(CSRF_COOKIE) != csrf_token(request):
        response.set_cookie(CSRF_COOKIE, csrf_token(request), httponly=True, samesite="strict",
                            secure=_secure(request), path=PREFIX)
    if request.query_params.get("lang") in LANGS:
        response.set_cookie(LANG_COOKIE, request.query_params["lang"], samesite="strict", path=PREFIX,
                            max_age=365 * 86400, secure=_secure(request))
    return response


def sign_in(request: Request, response: Response, token: dict) -> Response:
    response.set_cookie(TOKEN_COOKIE, token["access_token"], max_age=int(token.get("expires_in", 900)),
                        httponly=True, samesite="strict", secure=_secure(request), path=PREFIX)
    return response


def sign_out(response: Response) -> Response:
    response.delete_cookie(TOKEN_COOKIE, path=PREFIX)
    return response
