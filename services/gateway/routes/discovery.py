"""OAuth 2.0 authorization-server metadata (RFC 8414) and the same document at the OpenID
Connect discovery address, so tools that look for either (API gateways, Swagger UI, client
libraries) find the token endpoint, the JWKS and what the server supports. The gateway is an
OAuth authorization server for its own API, not an OpenID provider: it has no authorization
endpoint (no browser redirect flows; `response_types_supported` is empty) and issues no ID
tokens. The issuer is JWT_ISSUER; URLs are built from PUBLIC_URL when set, else from the
address the request came to."""

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from services.gateway.answer_models import ServerMetadata
from services.gateway.routes.answers import Reply

router = APIRouter(tags=["identity"])
REVOKE_PATH = "/api/v1/oauth/revoke"
TOKEN_PATH = "/api/v1/oauth/token"
JWKS_PATH = "/.well-known/jwks.json"
GRANT_TYPES = ("password", "client_credentials")
SCOPES = {"api": "the API, as far as the account's roles allow (the only scope; the default)"}
PUBLIC_CLIENT = "bth-public"   # client_id of password-grant tokens when the caller names no client


def base_url(request: Request) -> str:
    return request.app.state.settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")


def metadata(request: Request) -> dict:
    s, base = request.app.state.settings, base_url(request)
    return {
        "issuer": s.jwt_issuer,
        "token_endpoint": base + TOKEN_PATH,
        "jwks_uri": base + JWKS_PATH,
        "grant_types_supported": list(GRANT_TYPES),
        "response_types_supported": [],
        "scopes_supported": list(SCOPES),
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "revocation_endpoint": base + REVOKE_PATH,
        "revocation_endpoint_auth_methods_supported": ["none"],   # holding the token is enough
        "service_documentation": base + "/docs",
    }


@router.get("/.well-known/oauth-authorization-server", summary="OAuth 2.0 authorization-server metadata "
            "(RFC 8414)", description="Issuer, token endpoint, JWKS, grant types and scopes.")
async def oauth_metadata(request: Request) -> Reply[ServerMetadata]:
    return JSONResponse(metadata(request), headers={"Cache-Control": "public, max-age=300"})


@router.get("/.well-known/openid-configuration", summary="The same metadata at the OpenID discovery address",
            description="The gateway issues access tokens only (no ID tokens, no authorization endpoint).")
async def openid_configuration(request: Request) -> Reply[ServerMetadata]:
    return JSONResponse(metadata(request), headers={"Cache-Control": "public, max-age=300"})
