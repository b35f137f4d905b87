"""The pull feed: `GET /api/v1/events?cursor=&page_size=&wait=` returns, in order, the
events the caller's region may see (visibility.py), as CloudEvents in JSON form, and a
`next_cursor` to resume from (a stream: never "", the position after the page; `after` and
`limit` are the older names, still read). With `wait` (seconds) and nothing new, the request waits
(long-poll) until an event arrives or the time is up."""

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from services.common.identity import Principal
from services.gateway import feed, visibility
from services.gateway.answer_models import FeedPage
from services.gateway.auth import require
from services.gateway.routes.answers import Reply

router = APIRouter(prefix="/api/v1", tags=["events"])
Reader = Annotated[Principal, Depends(require("events.read"))]
EXAMPLE = {"items": [{"specversion": "1.0", "id": "6f1c…", "source": "/bth/registry",
                      "type": "bth.registry.v1.AchievementSubmitted", "subject": "ach-…",
                      "time": "2026-01-05T09:00:00Z", "datacontenttype": "application/json",
                      "sequence": "00000000000000000001", "data": {"achievement_id": "ach-…", "achievement": {}}}],
           "next_cursor": "00000000000000000001"}


@router.get("/events", summary="Pull feed of the events your region may see",
            responses={200: {"content": {"application/json": {"example": EXAMPLE}}}})
async def events(request: Request, who: Reader,
                 cursor: str = Query("", max_length=100, description="a next_cursor or an event's sequence"),
                 page_size: int = Query(100, ge=1, le=500), wait: float = Query(0, ge=0, le=60),
                 type: list[str] = Query(default=[], description="only these event types"),  # noqa: A002
                 after: str = Query("", max_length=100, deprecated=True, description="use cursor"),
                 limit: int | None = Query(None, ge=1, le=500, deprecated=True, description="use page_size")
                 ) -> Reply[FeedPage]:
    start = feed.decode_cursor(cursor or after, "cursor" if cursor else "after")
    limit = limit or page_size
    state = request.app.state
    query = visibility.mongo_filter(who.region, "operator" in who.roles) | {"_id": {"$gt": feed.key(start)}}
    if type:
        query["type"] = {"$in": type}
    loop = asyncio.get_running_loop()
    deadline = loop.time() + min(wait, state.settings.feed_long_poll_max_seconds)
    while True:
        docs = await state.db[feed.COLLECTION].find(query).sort("_id", 1).limit(limit).to_list()
        remaining = deadline - loop.time()
        if docs or remaining <= 0:
            break
        delivery = getattr(state, "delivery", None)
        if delivery is not None:
            await delivery.wait_for_events(min(0.5, remaining))
        else:
            await asyncio.sleep(min(0.5, remaining))
    last = feed.seq_of(docs[-1]) if docs else start
    return {"items": [feed.served(d) for d in docs], "next_cursor": feed.encode_cursor(last)}
