"""Token revocation (RFC 7009): whoever holds an access token can revoke it, e.g. when a person
signs out of the console; from then on the gateway refuses it (revocation.py) until it would
have expired anyway. As the RFC has it, the answer is 200 whether or not the token was valid,
so the endpoint says nothing about tokens it did not issue."""

from typing import Annotated

import jwt
from fastapi import APIRouter, Form, Request

from services.common.clock import SystemClock
from services.gateway.answer_models import Revoked
from services.gateway.routes.answers import Reply
from services.gateway.routes.discovery import REVOKE_PATH

router = APIRouter(tags=["identity"])
CLOCK = SystemClock()


@router.post(REVOKE_PATH, summary="Revoke an access token (RFC 7009)",
             description="Form fields: `token` (the access token) and optionally `token_type_hint` "
                         "(`access_token`). Always 200 with an empty object, for a valid token or not.")
async def revoke(request: Request, token: Annotated[str, Form(max_length=4000)],
                 token_type_hint: Annotated[str, Form(max_length=40)] = "") -> Reply[Revoked]:
    state = request.app.state
    try:
        claims = state.keys.verify(token, state.settings.jwt_audience, state.settings.jwt_issuer)
    except (jwt.PyJWTError, KeyError, ValueError):
        return {}
    await state.account_states.revoke(claims, CLOCK.now())
    return {}
