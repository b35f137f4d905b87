"""Tokens of an external OIDC issuer (Keycloak-style claims), verified through its JWKS URL
served by a small local HTTP server; wrong issuer keys and audiences are refused."""

import asyncio
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm

from services.common.expiring import ExpiringCache
from services.gateway import auth
from services.gateway.keys import KeyRing
from services.gateway.settings import GatewaySettings

KEY = ec.generate_private_key(ec.SECP256R1())


class _Jwks(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        jwk = json.loads(ECAlgorithm.to_jwk(KEY.public_key())) | {"kid": "kc-1", "alg": "ES256", "use": "sig"}
        body = json.dumps({"keys": [jwk]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def jwks_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/realms/bth/protocol/openid-connect/certs"
    server.shutdown()


async def test_external_oidc_tokens_are_accepted_by_configuration(jwks_url):
    issuer = "https://keycloak.example/realms/bth"
    settings = GatewaySettings(oidc_issuer=issuer, oidc_jwks_url=jwks_url, oidc_audience="bth-gateway")
    state = SimpleNamespace(settings=settings, keys=KeyRing.from_settings(settings),
                            oidc_jwks=jwt.PyJWKClient(jwks_url), verified_tokens=ExpiringCache())
    now = int(time.time())
    claims = {"iss": issuer, "aud": "bth-gateway", "sub": "kc-user-1", "iat": now, "exp": now + 60,
              "org": "org-hebei-platform", "region": "HEBEI", "realm_access": {"roles": ["partner", "offline"]}}
    good = jwt.encode(claims, KEY, algorithm="ES256", headers={"kid": "kc-1"})
    who = await auth.authenticate(state, good)
    assert (who.subject, who.organisation, who.region, who.roles) == \
        ("kc-user-1", "org-hebei-platform", "HEBEI", frozenset({"partner"}))
    other = ec.generate_private_key(ec.SECP256R1())
    for bad in (jwt.encode(claims, other, algorithm="ES256", headers={"kid": "kc-1"}),
                jwt.encode({**claims, "aud": "another"}, KEY, algorithm="ES256", headers={"kid": "kc-1"}),
                jwt.encode({**claims, "exp": now - 10}, KEY, algorithm="ES256", headers={"kid": "kc-1"})):
        with pytest.raises(jwt.PyJWTError):
            await auth.authenticate(state, bad)
    assert len(state.verified_tokens) == 1   # only the good token is kept, until it expires
    assert await auth.authenticate(state, good) == who
    await asyncio.sleep(0)
