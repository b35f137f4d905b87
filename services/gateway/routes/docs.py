"""Machine-readable documents: the AsyncAPI 3.0 description of the Kafka topics."""

from functools import cache

from fastapi import APIRouter

from services.gateway import asyncapi
from services.gateway.answer_models import AsyncApiDocument
from services.gateway.routes.answers import Reply

router = APIRouter(prefix="/api/v1", tags=["events"])


@cache
def _document() -> dict:
    return asyncapi.document()


@router.get("/asyncapi.json", summary="AsyncAPI 3.0 document of every Kafka topic, key and message")
async def asyncapi_document() -> Reply[AsyncApiDocument]:
    return _document()
