"""Work queues: the list of queues for the person's roles, one queue as a table, and each row's
decision in place (htmx swaps the row; without JavaScript the form posts and comes back)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse

from services.gateway.console import render, session
from services.gateway.console.api import Problem
from services.gateway.console.queue_table import BY_NAME, QUEUES, Queue, row, rows

router = APIRouter()
PAGE = 50


def _queue(name: str) -> Queue:
    if name not in BY_NAME:
        raise HTTPException(404, f"no queue {name[:50]}")
    return BY_NAME[name]


async def read(request: Request, queue: Queue, cursor: str = "", region: str = "") -> tuple[list[dict], str]:
    """The queue's rows and next cursor as REST gives them."""
    page = await session.api(request).get(queue.path, {"cursor": cursor, "region": region, "page_size": PAGE})
    found = [_with_actions(queue, r) for item in page.get("items", []) for r in rows(item, queue)]
    return found, page.get("next_cursor", "")


def _with_actions(queue: Queue, r: dict) -> dict:
    """The row's buttons (the actions for its state) and the fields they need, once each."""
    actions = [a for a in queue.actions if not a.states or r["state"] in a.states]
    inputs = list(dict.fromkeys(f for a in actions for f in a.inputs))
    return {**r, "actions": actions, "inputs": inputs}


@router.get("/queues")
async def queues(request: Request):
    me = await session.principal(request)
    mine = [q for q in QUEUES if set(q.roles) & set(me["roles"])]
    return render.page(request, "queues.html", me=me, queues=mine)


@router.get("/queues/{name}")
async def queue(request: Request, name: str, cursor: str = "", region: str = ""):
    me = await session.principal(request)
    q = _queue(name)
    found, next_cursor = await read(request, q, cursor[:500], region[:20])
    return render.page(request, "queue.html", me=me, queue=q, rows=found, next_cursor=next_cursor,
                       region=region[:20])


def _body(action, note: str, score: str, opinion: str) -> dict:
    body = dict(action.body)
    if "note" in action.inputs:
        body[action.note_field] = note
    if "score" in action.inputs:
        body["score"] = int(score) if score.strip().isdigit() else score
    if "opinion" in action.inputs:
        body["opinion"] = opinion
    return body


@router.post("/queues/{name}/{item_id}", dependencies=[Depends(session.check_csrf)])
async def decide(request: Request, name: str, item_id: str, action: Annotated[str, Form(max_length=50)],
                 note: Annotated[str, Form(max_length=2000)] = "", score: Annotated[str, Form(max_length=10)] = "",
                 opinion: Annotated[str, Form(max_length=5000)] = "", sub: Annotated[str, Form(max_length=100)] = ""):
    me = await session.principal(request)
    q = _queue(name)
    chosen = next((a for a in q.actions if a.slug == action), None)
    if chosen is None:
        raise HTTPException(404, f"queue {name} has no action {action}")
    error, result = None, {}
    try:
        path = chosen.path.format(id=item_id, sub=sub)
        result = await session.api(request).post(path, _body(chosen, note, score, opinion))
    except Problem as exc:
        if exc.status == 401:
            raise session.SignInRequired from None
        error = exc
    if request.headers.get("hx-request"):
        return render.page(request, "_decided.html", me=me, queue=q, item_id=item_id, action=chosen,
                           error=None, problem=error, result=row(result, q.key) if result else None)
    if error:
        return render.page(request, "error.html", status=error.status, me=me, error=error)
    return RedirectResponse(f"/console/queues/{name}", status_code=303)
