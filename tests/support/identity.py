"""Bearer tokens for tests, minted for a principal the way the gateway verifies them."""

import time

import jwt

from services.gateway.settings import GatewaySettings


def bearer(subject: str, organisation: str, region: str, *roles: str, settings: GatewaySettings | None = None,
           ttl: int = 300) -> dict[str, str]:
    s = settings or GatewaySettings()
    now = int(time.time())
    claims = {"sub": subject, "org": organisation, "region": region, "roles": list(roles),
              "iss": s.jwt_issuer, "aud": s.jwt_audience, "iat": now, "exp": now + ttl}
    return {"Authorization": "Bearer " + jwt.encode(claims, s.jwt_secret, algorithm="HS256")}


INSTITUTION = bearer("demo-user", "org-demo-university", "BEIJING", "institution")
