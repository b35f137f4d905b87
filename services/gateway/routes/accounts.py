"""Accounts management (operators): create people and partner clients, rotate a client's
secret (revokes its live tokens), disable (revokes them too) or enable an account, list
accounts. `GET /api/v1/me` tells anyone who they are."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field

from services.common.clock import SystemClock
from services.common.identity import Principal
from services.gateway import accounts
from services.gateway.answer_models import AccountOut, AccountPage, ClientCreated, Me, SecretRotated
from services.gateway.auth import require
from services.gateway.routes.answers import Reply
from services.gateway.routes.base import Strict, example

router = APIRouter(prefix="/api/v1", tags=["accounts"])
Manager = Annotated[Principal, Depends(require("accounts.manage"))]
Anyone = Annotated[Principal, Depends(require("accounts.me"))]
CLOCK = SystemClock()


class UserIn(Strict):
    model_config = example({
        "username": "li.wei", "password": "a-long-passphrase", "organisation": "org-tsinghua",
        "region": "BEIJING", "roles": ["institution"], "display_name": "李伟"})
    username: str = Field(min_length=3, max_length=64)
    password: str = Field(min_length=10, max_length=200)
    organisation: str = Field(min_length=1, max_length=100)
    region: str
    roles: list[str] = Field(min_length=1, max_length=8)
    display_name: str = Field(default="", max_length=100)


class ClientIn(Strict):
    model_config = example({
        "client_id": "tianjin-partner", "organisation": "org-tianjin-platform", "region": "TIANJIN",
        "display_name": "Tianjin S&T platform"})
    client_id: str = Field(min_length=3, max_length=64)
    organisation: str = Field(min_length=1, max_length=100)
    region: str
    roles: list[str] = Field(default_factory=lambda: ["partner"], min_length=1, max_length=8)
    display_name: str = Field(default="", max_length=100)


@router.get("/me", summary="The calling principal")
async def me(who: Anyone) -> Reply[Me]:
    return {"subject": who.subject, "organisation": who.organisation, "region": who.region,
            "roles": sorted(who.roles)}


@router.post("/accounts/users", status_code=201, summary="Create a person's account")
async def create_user(body: UserIn, request: Request, who: Manager) -> Reply[AccountOut]:
    return await accounts.create_user(request.app.state.db, CLOCK.now(), body.username, body.password,
                                      body.organisation, body.region, body.roles, body.display_name)


@router.post("/accounts/clients", status_code=201, summary="Create a partner system's client (secret shown once)")
async def create_client(body: ClientIn, request: Request, who: Manager) -> Reply[ClientCreated]:
    doc, secret = await accounts.create_client(request.app.state.db, CLOCK.now(), body.client_id,
                                               body.organisation, body.region, body.roles, body.display_name)
    return doc | {"client_secret": secret}


@router.post("/accounts/clients/{client_id}/rotate-secret",
             summary="Issue a new client secret; the previous one stays valid for the grace period")
async def rotate(client_id: str, request: Request, who: Manager) -> Reply[SecretRotated]:
    s = request.app.state.settings
    doc, secret = await accounts.rotate_secret(request.app.state.db, CLOCK.now(), client_id,
                                               s.client_secret_grace_seconds)
    request.app.state.account_states.forget(client_id)   # its live tokens are refused from now on
    return doc | {"client_secret": secret, "previous_secret_valid_seconds": s.client_secret_grace_seconds}


@router.post("/accounts/{account_id}/disable", summary="Disable an account (its live tokens are refused at once)")
async def disable(account_id: str, request: Request, who: Manager) -> Reply[AccountOut]:
    doc = await accounts.set_disabled(request.app.state.db, CLOCK.now(), account_id, True)
    request.app.state.account_states.forget(account_id)
    return doc


@router.post("/accounts/{account_id}/enable", summary="Enable a disabled account (tokens from before stay revoked)")
async def enable(account_id: str, request: Request, who: Manager) -> Reply[AccountOut]:
    doc = await accounts.set_disabled(request.app.state.db, CLOCK.now(), account_id, False)
    request.app.state.account_states.forget(account_id)
    return doc


@router.get("/accounts", summary="List accounts (cursor pagination)")
async def list_accounts(request: Request, who: Manager, page_size: int = Query(20, ge=1, le=200),
                        cursor: str = Query("", max_length=64)) -> Reply[AccountPage]:
    query = {"_id": {"$gt": cursor}} if cursor else {}
    docs = await request.app.state.db[accounts.COLLECTION].find(query).sort("_id", 1).limit(page_size + 1).to_list()
    items = [accounts.public(d) for d in docs[:page_size]]
    return {"items": items, "next_cursor": items[-1]["account_id"] if len(docs) > page_size else ""}
