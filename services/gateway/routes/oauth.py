"""OAuth 2.0 token endpoint (RFC 6749): the password grant for people and the
client_credentials grant for partner systems (client id/secret in HTTP Basic or in the
form). Access tokens are short-lived JWTs signed with the gateway's key, in the RFC 9068
profile (header `typ: at+jwt` and `kid`; claims iss, aud, sub, client_id, iat, exp, jti,
scope; plus org, region, roles, kind and `ver` = the account's token version, see
revocation.py); the public keys are at /.well-known/jwks.json, the server metadata at
/.well-known/oauth-authorization-server (discovery.py). The one scope is `api`. Failed
logins are throttled per account and per client address (login_throttle.py): while locked,
every attempt is a 429 problem with `Retry-After`. Errors are problem details that also carry the OAuth `error` code."""

import base64
import binascii
import time
import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse

from services.common.clock import SystemClock
from services.gateway import accounts
from services.gateway.answer_models import Jwks, Token
from services.gateway.problems import PROBLEM_RESPONSES, problem
from services.gateway.routes.answers import Reply
from services.gateway.routes.discovery import PUBLIC_CLIENT, SCOPES

router = APIRouter(tags=["identity"])
CLOCK = SystemClock()


def oauth_error(status: int, error: str, description: str) -> JSONResponse:
    headers = {"Cache-Control": "no-store"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Basic realm="bth"'
    return problem(status, f"oauth-{error.replace('_', '-')}", description, headers,
                   error=error, error_description=description)


def throttled(lock, account: str) -> JSONResponse:
    whom = f"account {account[:64]}" if lock.scope == "account" else "this client address"
    return problem(429, "login-throttled", f"too many failed logins for {whom}; retry after {lock.retry_after} s",
                   {"Retry-After": str(lock.retry_after), "Cache-Control": "no-store"},
                   field="username" if lock.scope == "account" else None, error="temporarily_unavailable",
                   error_description="too many failed logins")


async def _checked(request: Request, account: str, check):
    """Run a credential check unless the account or the caller's address is locked."""
    throttle, address = request.app.state.login_throttle, request.client.host if request.client else ""
    lock = throttle.locked(account, address)
    if lock:
        return None, throttled(lock, account)
    doc = await check()
    if doc is None:
        throttle.failed(account, address)
    else:
        throttle.succeeded(account)
    return doc, None


def _basic(request: Request) -> tuple[str, str] | None:
    header = request.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return client_id, secret


def issue(request: Request, doc: dict, client_id: str, scope: str) -> dict:
    s = request.app.state.settings
    now = int(time.time())
    claims = {"iss": s.jwt_issuer, "aud": s.jwt_audience, "sub": doc["_id"], "client_id": client_id,
              "iat": now, "nbf": now, "exp": now + s.access_token_ttl_seconds, "jti": uuid.uuid4().hex,
              "scope": scope, "org": doc["organisation"], "region": doc["region"], "roles": doc["roles"],
              "kind": doc["kind"], "ver": doc.get("token_version", 0)}
    return {"access_token": request.app.state.keys.sign(claims), "token_type": "Bearer",
            "expires_in": s.access_token_ttl_seconds, "scope": scope}


def unknown_scopes(scope: str) -> list[str]:
    return [s for s in scope.split() if s not in SCOPES]


@router.post("/api/v1/oauth/token", summary="Get an access token (password or client_credentials grant)",
             responses={
                 400: PROBLEM_RESPONSES[400] | {"description": "invalid_request / unsupported_grant_type / "
                                                               "invalid_grant / invalid_scope"},
                 401: PROBLEM_RESPONSES[401] | {"description": "invalid_client"},
                 429: PROBLEM_RESPONSES[429] | {"description": "too many failed logins (Retry-After)"}})
async def token(request: Request, grant_type: Annotated[str, Form()],
                username: Annotated[str | None, Form()] = None, password: Annotated[str | None, Form()] = None,
                client_id: Annotated[str | None, Form()] = None,
                client_secret: Annotated[str | None, Form()] = None,
                scope: Annotated[str, Form(max_length=200)] = "") -> Reply[Token]:
    db = request.app.state.db
    headers = {"Cache-Control": "no-store", "Pragma": "no-cache"}
    if unknown_scopes(scope):
        return oauth_error(400, "invalid_scope", f"unknown scope(s) {unknown_scopes(scope)[:5]}; "
                                                 f"supported: {' '.join(SCOPES)}")
    scope = " ".join(SCOPES)   # the one scope, requested or not
    if grant_type == "password":
        if not username or not password:
            return oauth_error(400, "invalid_request", "username and password are required")
        doc, refused = await _checked(request, username, lambda: accounts.check_password(db, username, password))
        if refused:
            return refused
        if doc is None:
            return oauth_error(400, "invalid_grant", "the username or password is wrong, or the account is disabled")
        return JSONResponse(issue(request, doc, PUBLIC_CLIENT, scope), headers=headers)
    if grant_type == "client_credentials":
        basic = _basic(request)
        cid, secret = basic if basic else (client_id, client_secret)
        if not cid or not secret:
            return oauth_error(401, "invalid_client", "client authentication is required (HTTP Basic or form)")
        doc, refused = await _checked(request, cid, lambda: accounts.check_client(db, CLOCK.now(), cid, secret))
        if refused:
            return refused
        if doc is None:
            return oauth_error(401, "invalid_client", "unknown client, wrong or expired secret, or disabled")
        return JSONResponse(issue(request, doc, cid, scope), headers=headers)
    return oauth_error(400, "unsupported_grant_type", f"grant_type {grant_type!r} is not supported; use "
                                                      "password or client_credentials")


@router.get("/.well-known/jwks.json", summary="Public keys that sign access tokens (JWKS)")
async def jwks(request: Request) -> Reply[Jwks]:
    return request.app.state.keys.jwks()
