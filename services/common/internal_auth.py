"""Service-to-service identity that a caller cannot forge: the caller's principal travels in
gRPC metadata inside a short-lived token (HS256, PyJWT) signed with the key every process of
the platform shares (INTERNAL_AUTH_KEY, a Secret in the chart). A service reads the principal
only from a token whose signature and lifetime check out; plain `x-bth-*` metadata counts for
nothing, so reaching a service port is not enough to act as an operator.

Both ends skip work they did a moment ago: a caller sends the same token for a principal for
REUSE_SECONDS (of its 300 s lifetime), and a service keeps what a token's signature proved
until the token expires (bounded caches; a token is checked in full the first time)."""

import time

import jwt

from services.common.expiring import ExpiringCache
from services.common.identity import Principal

HEADER = "x-bth-identity"
AUDIENCE = "bth-internal"
LIFETIME_SECONDS = 300
MIN_KEY_LENGTH = 32
REUSE_SECONDS = 60
_signed = ExpiringCache(1024)     # (principal, key) -> token
_verified = ExpiringCache(4096)   # (key, token) -> principal


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
    now = time.time()
    token = _signed.get((principal, key), now)
    if token is None:
        token = sign(principal, key, now)
        _signed.put((principal, key), token, until=now + REUSE_SECONDS)
    return [(HEADER, token)]


def verify(token: str | None, key: str) -> Principal:
    if len(key) < MIN_KEY_LENGTH:   # a server without a key believes nobody (an empty key signs anything)
        raise Unauthenticated("this service has no internal identity key configured")
    if not token:
        raise Unauthenticated("no internal identity token (x-bth-identity)")
    known = _verified.get((key, token), time.time())
    if known is not None:
        return known
    try:
        claims = jwt.decode(token, key, algorithms=["HS256"], audience=AUDIENCE, leeway=30,
                            options={"require": ["sub", "exp", "iat", "aud"]})
    except jwt.PyJWTError as exc:
        raise Unauthenticated(f"internal identity token refused: {type(exc).__name__}") from None
    who = Principal(subject=str(claims["sub"]), organisation=str(claims.get("org", "")),
                    region=str(claims.get("region", "")), roles=frozenset(map(str, claims.get("roles", []))))
    now = time.time()
    if claims["exp"] > now:   # one accepted within the leeway after its expiry is not kept
        _verified.put((key, token), who, until=min(claims["exp"], now + LIFETIME_SECONDS))
    return who
