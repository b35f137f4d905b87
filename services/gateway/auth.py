"""Who is calling, and may they? A bearer JWT (ours, signed with the key ring, or an
external OIDC issuer's when configured) becomes a Principal; `require(action)` checks the
matrix in access.py and the caller's rate limit. The action is recorded on the dependency
(`dependency.action`) so tests and docs can read which action guards which route.
A token whose signature and claims checked out is kept (`verified_tokens`, bounded) until it
expires or for KEEP_SECONDS, so a client's next requests skip the decoding and the signature
check; the account and revocation checks still run on every request."""

import asyncio
import time

import jwt
from fastapi import Depends, HTTPException, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, OAuth2

from services.common.identity import Principal
from services.gateway.access import MATRIX
from services.gateway.revocation import TokenRevoked
from services.gateway.routes.discovery import SCOPES, TOKEN_PATH

bearer = HTTPBearer(auto_error=False, description="An access token from POST /api/v1/oauth/token")
# The same bearer token, documented as OAuth 2.0 so the /docs Authorize button can sign in
# (password grant for people, client_credentials for partner systems).
oauth2 = OAuth2(flows=OAuthFlows(password=OAuthFlowPassword(tokenUrl=TOKEN_PATH, scopes=SCOPES),
                                 clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_PATH, scopes=SCOPES)),
                scheme_name="OAuth2", auto_error=False,
                description="Sign in at the token endpoint; metadata at /.well-known/oauth-authorization-server")
CHALLENGE = {"WWW-Authenticate": 'Bearer error="invalid_token"'}
KEEP_SECONDS = 300   # a verified token is checked in full again after this (the OIDC JWKS cache's lifespan)


def principal_from_claims(claims: dict) -> Principal:
    roles = claims.get("roles") or (claims.get("realm_access") or {}).get("roles") or []
    return Principal(subject=str(claims["sub"]), organisation=claims.get("org") or claims.get("organisation", ""),
                     region=claims.get("region", ""), roles=frozenset(r for r in roles if r in _ROLE_NAMES))


async def authenticate(app_state, token: str) -> Principal:
    """Verify a bearer token; raises jwt.PyJWTError when it is not acceptable."""
    now = time.time()
    known = app_state.verified_tokens.get(token, now)
    if known is None:
        claims, ours = await _verify(app_state, token)
        known = (claims, ours, principal_from_claims(claims))
        # until it expires, but checked again within KEEP_SECONDS: an external issuer's token has no
        # revocation check here, and removing its key from the issuer's JWKS must still end it
        app_state.verified_tokens.put(token, known, until=min(claims["exp"], now + KEEP_SECONDS))
    claims, ours, principal = known
    if ours:
        await app_state.account_states.check(claims)   # disabled account or rotated secret: refused
    return principal


async def _verify(app_state, token: str) -> tuple[dict, bool]:
    """The token's claims, and whether we issued it (else an external OIDC issuer did)."""
    s = app_state.settings
    unverified = jwt.decode(token, options={"verify_signature": False})
    if s.oidc_issuer and unverified.get("iss") == s.oidc_issuer:
        key = await asyncio.to_thread(app_state.oidc_jwks.get_signing_key_from_jwt, token)
        return jwt.decode(token, key.key, algorithms=[a.strip() for a in s.oidc_algorithms.split(",")],
                          audience=s.oidc_audience or s.jwt_audience, issuer=s.oidc_issuer,
                          options={"require": ["exp", "iss", "aud", "sub"]}), False
    return app_state.keys.verify(token, s.jwt_audience, s.jwt_issuer), True


def _reason(exc: Exception) -> str:
    """A fixed phrase per kind of refusal (never the decoder's own message)."""
    if isinstance(exc, TokenRevoked):
        return "the token was revoked (account disabled or credentials rotated)"
    if isinstance(exc, jwt.ExpiredSignatureError):
        return "the token has expired"
    if isinstance(exc, jwt.InvalidAudienceError | jwt.InvalidIssuerError):
        return "the token was issued for another audience or by another issuer"
    return "the token is not valid"


async def current_principal(request: Request, credentials: HTTPAuthorizationCredentials | None = Depends(bearer),
                            _documented: str | None = Depends(oauth2)) -> Principal:
    if credentials is None:
        raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    try:
        who = await authenticate(request.app.state, credentials.credentials)
    except (jwt.PyJWTError, KeyError, ValueError) as exc:
        raise HTTPException(401, f"invalid token: {_reason(exc)}", headers=CHALLENGE) from None
    request.state.principal = who.subject   # for the access log
    return who


def require(action: str):
    allowed = MATRIX[action]

    async def dependency(request: Request,
                         who: Principal = Depends(current_principal)) -> Principal:
        decision = request.app.state.limiter.hit(who.subject)
        request.state.ratelimit_headers = decision.headers   # on the response whatever its status
        if not decision.allowed:
            raise HTTPException(429, f"rate limit of {request.app.state.limiter.limit} requests per "
                                     f"{request.app.state.limiter.window}s exceeded", headers=decision.headers)
        if not who.roles & allowed:
            raise HTTPException(403, f"role(s) {sorted(who.roles)} may not {action}")
        return who
    dependency.action = action
    return dependency


def _role_names():
    from services.gateway.access import ROLES
    return set(ROLES)


_ROLE_NAMES = _role_names()
