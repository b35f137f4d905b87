"""Start-up and shut-down of the gateway's own parts: the signing key ring, the OIDC JWKS
client, the rate limiter, the gateway database (indexes, the bootstrap operator) and, when
DELIVERY_IN_PROCESS is true, feed ingestion and webhook delivery as background tasks."""

import asyncio
import contextlib

import jwt

from services.common import logs
from services.common.clock import SystemClock
from services.common.expiring import ExpiringCache
from services.gateway import accounts, delivery, idempotency, passwords, seed
from services.gateway.keys import KeyRing
from services.gateway.login_throttle import LoginThrottle
from services.gateway.ratelimit import RateLimiter
from services.gateway.revocation import AccountStates


async def start(app, settings) -> list[asyncio.Task]:
    state = app.state
    state.keys = KeyRing.from_settings(settings)
    state.verified_tokens = ExpiringCache(4096)   # auth.authenticate: tokens whose signature checked out
    state.oidc_jwks = jwt.PyJWKClient(settings.oidc_jwks_url, cache_keys=True, lifespan=300) \
        if settings.oidc_jwks_url else None
    state.limiter = RateLimiter(settings.rate_limit_requests, settings.rate_limit_window_seconds)
    state.login_throttle = LoginThrottle(settings.login_account_limits, settings.login_ip_limits)
    passwords.configure(settings.password_hash_workers)
    state.db = state.mongo[settings.database]
    state.account_states = AccountStates(state.db, settings.token_revocation_cache_seconds)
    state.delivery = None
    state.wake_delivery = lambda: None
    try:
        await accounts.create_indexes(state.db)
        await delivery.create_indexes(state.db)
        await state.db["idempotency"].create_index("expires_at")
        if await seed.bootstrap_operator(state.db, settings):
            logs.get("gateway").info("accounts.bootstrap_operator_created",
                                     username=settings.bootstrap_operator_username)
    except Exception as exc:  # noqa: BLE001 - serve anyway; /readyz reports Mongo
        logs.get("gateway").error("gateway.db_init_failed", error=str(exc))
    # expired idempotency records: deleted by the gateway (the embedded server has no TTL monitor)
    tasks = [asyncio.create_task(idempotency.sweep_forever(state.db["idempotency"], SystemClock(), settings))]
    if settings.delivery_in_process:
        state.delivery = delivery.Delivery(settings, state.db)
        state.wake_delivery = state.delivery.wakeup.set
        tasks += [asyncio.create_task(coro) for coro in state.delivery.tasks()]
    return tasks


async def stop(app, tasks: list[asyncio.Task]) -> None:
    for task in tasks:
        task.cancel()
    for task in tasks:
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    if app.state.delivery is not None:
        await app.state.delivery.worker.aclose()   # its senders too
