"""Composition root of the gateway: the FastAPI app, its clients and error mapping."""

import asyncio
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

from services.common import mongo, tracing
from services.gateway import cors, identity_and_delivery, openapi_doc, problems, span_routes
from services.gateway.clients import Clients
from services.gateway.console import create_console
from services.gateway.guards import Guards
from services.gateway.http_protocol import ProblemH11Protocol
from services.gateway.request_id import RequestId
from services.gateway.routes import accounts as accounts_routes
from services.gateway.routes import (
    achievement_revision,
    achievements,
    health,
    queues,
    registry_contracts,
    registry_lifecycle,
    registry_reports,
    registry_search,
    registry_tech_reports,
)
from services.gateway.routes import dev as dev_routes
from services.gateway.routes import discovery as discovery_routes
from services.gateway.routes import docs as docs_routes
from services.gateway.routes import events as events_routes
from services.gateway.routes import incubation as incubation_routes
from services.gateway.routes import oauth as oauth_routes
from services.gateway.routes import procurement as procurement_routes
from services.gateway.routes import revoke as revoke_routes
from services.gateway.routes import webhooks as webhooks_routes
from services.gateway.settings import GatewaySettings

DOCS_ASSETS = "/docs/assets"


def create_app(settings: GatewaySettings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.clients = Clients.open(settings)
        app.state.mongo = mongo.connect(settings.mongo.uri)
        background = await identity_and_delivery.start(app, settings)
        yield
        await identity_and_delivery.stop(app, background)
        await app.state.clients.close()
        await app.state.mongo.close()

    # /docs and /redoc load Swagger UI and ReDoc from the gateway itself (the assets ship in
    # the fastapi-offline package), never from a public CDN
    app = FastAPIOffline(title="BTH S&T achievement platform", version="1.0.0", lifespan=lifespan,
                         description="Beijing–Tianjin–Hebei registry, procurement and incubation API.",
                         responses=problems.PROBLEM_RESPONSES, static_url=DOCS_ASSETS,
                         swagger_ui_parameters={"persistAuthorization": True})
    tracing.configure(settings.service_name, settings.otel_exporter_otlp_endpoint)   # before the clients' channels
    span_routes.install()
    FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,docs,redoc,openapi.json",
                                       exclude_spans=["receive", "send"])
    for exc_type, handler in problems.HANDLERS.items():
        app.add_exception_handler(exc_type, handler)

    app.add_middleware(Guards, max_body_bytes=settings.max_body_bytes)  # inside the request id
    if cors.origins(settings.cors_allow_origins):
        app.add_middleware(cors.Cors, allow_origins=cors.origins(settings.cors_allow_origins))
    app.add_middleware(RequestId)

    app.include_router(health.router)
    for gateway_router in (oauth_routes, revoke_routes, discovery_routes, accounts_routes, events_routes,
                           webhooks_routes, docs_routes, dev_routes):
        app.include_router(gateway_router.router)
    app.include_router(registry_search.router)  # before achievements: /achievements/match
    app.include_router(registry_tech_reports.router)
    app.include_router(registry_lifecycle.router)
    app.include_router(registry_contracts.router)
    app.include_router(registry_reports.router)
    app.include_router(achievements.router)
    app.include_router(achievement_revision.router)
    app.include_router(procurement_routes.router)
    app.include_router(incubation_routes.router)
    app.include_router(queues.router)
    openapi_doc.install(app)
    app.mount("/console", create_console(app))   # the web console: pages that call the REST API above
    return app


async def serve(settings: GatewaySettings, stop: asyncio.Event | None = None, app: FastAPI | None = None) -> None:
    config = uvicorn.Config(app or create_app(settings), host=settings.http_host, port=settings.http_port,
                            log_level=settings.log_level.lower(), log_config=None, access_log=False, lifespan="on",
                            http=ProblemH11Protocol)   # its loggers go through logs.py; access lines: access_log.py
    server = uvicorn.Server(config)
    if stop is None:
        await server.serve()
        return
    task = asyncio.create_task(server.serve())
    await stop.wait()
    server.should_exit = True
    await task
