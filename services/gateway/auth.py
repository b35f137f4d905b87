"""Who is calling, and may they? Bearer JWT → Principal; `require(action)` checks the
matrix in access.py. (Walking-skeleton version: HS256 with a configured secret; the
gateway issue replaces it with the token endpoint, key rotation and OIDC.)"""

import jwt
from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from services.common.identity import Principal
from services.gateway.access import MATRIX

bearer = HTTPBearer(auto_error=False)


async def current_principal(request: Request,
                            credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Principal:
    if credentials is None:
        raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    settings = request.app.state.settings
    try:
        claims = jwt.decode(credentials.credentials, settings.jwt_secret, algorithms=["HS256"],
                            audience=settings.jwt_audience, issuer=settings.jwt_issuer)
    except jwt.PyJWTError as exc:
        raise HTTPException(401, f"invalid token: {exc}", headers={"WWW-Authenticate": "Bearer"}) from None
    return Principal(subject=claims["sub"], organisation=claims.get("org", ""), region=claims.get("region", ""),
                     roles=frozenset(claims.get("roles", [])))


def require(action: str):
    allowed = MATRIX[action]

    async def dependency(who: Principal = Depends(current_principal)) -> Principal:
        if not who.roles & allowed:
            raise HTTPException(403, f"role(s) {sorted(who.roles)} may not {action}")
        return who
    return dependency
