"""Service-to-service identity that a caller cannot forge: the caller's principal travels in
gRPC metadata inside a short-lived token (HS256, PyJWT) signed with the key every process of
the platform shares (INTERNAL_AUTH_KEY, a Secret in the chart). A service reads the principal
only from a token whose signature and lifetime check out; plain `x-bth-*` metadata counts for
nothing, so reaching a service port is not enough to act as an operator."""

import time

import jwt

from services.common.identity import Principal

HEADER = "x-bth-identity"
AUDIENCE = "bth-internal"
LIFETIME_SECONDS = 300
MIN_KEY_LENGTH = 32


class Unauthenticated(Exception):
    pass


def require_key(key: str) -> str:
    """The configured key, or SystemExit with one line naming the variable."""
    if len(key) < MIN_KEY_LENGTH:
        raise SystemExit(f"configuration error: INTERNAL_AUTH_KEY: set a shared secret of at least {MIN_KEY_LENGTH} "
                         "characters for every process (e.g. `openssl rand -base64 48`; `make run` makes one)")
    return key


def sign(principal: Principal, key: str, now: float | None = None) -> str:
    issued = int(now if now is not None else time.time())
    return jwt.encode({"sub": principal.subject, "org": principal.organisation, "region": principal.region,
                       "roles": sorted(principal.roles), "aud": AUDIENCE, "iat": issued,
                       "exp": issued + LIFETIME_SECONDS}, key, algorithm="HS256")


def metadata(principal: Principal, key: str) -> list[tuple[str, str]]:
    return [(HEADER, sign(principal, key))]


def verify(token: str | None, key: str) -> Principal:
    if len(key) < MIN_KEY_LENGTH:   # a server without a key believes nobody (an empty key signs anything)
        raise Unauthenticated("this service has no internal identity key configured")
    if not token:
        raise Unauthenticated("no internal identity token (x-bth-identity)")
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"], audience=AUDIENCE, leeway=30,
                            options={"require": ["sub", "exp", "iat", "aud"]})
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"internal identity token refused: {type(exc).__name__}") from None
    return Principal(subject=str(claims["sub"]), organisation=str(claims.get("org", "")),
                     region=str(claims.get("region", "")), roles=frozenset(map(str, claims.get("roles", []))))
