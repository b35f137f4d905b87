"""Bearer tokens for tests, minted for a principal the way the gateway verifies them: the
test session configures the gateway's signing key (JWT_PRIVATE_KEY / JWT_KEY_ID, set here at
import, before any GatewaySettings is read) and signs with the same key."""

import os
import secrets
import time
import uuid

import jwt

from services.common import internal_auth
from services.common.identity import Principal
from services.gateway.keys import generate_pem
from services.gateway.settings import GatewaySettings

os.environ.setdefault("JWT_PRIVATE_KEY", generate_pem("EdDSA"))
os.environ.setdefault("INTERNAL_AUTH_KEY", secrets.token_urlsafe(48))   # the platform's shared service key
os.environ.setdefault("JWT_KEY_ID", "test-key-1")
os.environ.setdefault("JWT_ALGORITHM", "EdDSA")


def token(claims: dict, settings: GatewaySettings | None = None, headers: dict | None = None) -> str:
    s = settings or GatewaySettings()
    return jwt.encode(claims, s.jwt_private_key, algorithm=s.jwt_algorithm,
                      headers={"kid": s.jwt_key_id, "typ": "at+jwt", **(headers or {})})


def claims_for(subject: str, organisation: str, region: str, *roles: str, settings: GatewaySettings | None = None,
               ttl: int = 3600) -> dict:
    s = settings or GatewaySettings()
    now = int(time.time())
    return {"sub": subject, "org": organisation, "region": region, "roles": list(roles), "iss": s.jwt_issuer,
            "aud": s.jwt_audience, "iat": now, "exp": now + ttl, "jti": uuid.uuid4().hex, "client_id": "bth-tests"}


def bearer(subject: str, organisation: str, region: str, *roles: str, settings: GatewaySettings | None = None,
           ttl: int = 3600) -> dict[str, str]:
    claims = claims_for(subject, organisation, region, *roles, settings=settings, ttl=ttl)
    return {"Authorization": "Bearer " + token(claims, settings)}


INSTITUTION = bearer("demo-user", "org-demo-university", "BEIJING", "institution")


def signed(principal: Principal) -> list[tuple[str, str]]:
    """gRPC metadata carrying `principal` the way the gateway sends it: a signed identity token."""
    return internal_auth.metadata(principal, os.environ["INTERNAL_AUTH_KEY"])
