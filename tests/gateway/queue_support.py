"""Helpers of the work-queue tests: people with their own organisations, a whole queue read
page by page through the cursor, and the refusals every queue shares."""

import uuid

import httpx

from tests.support.identity import bearer


def person(role: str, region: str = "BEIJING", org: str = "") -> tuple[dict, str]:
    """(headers, organisation) of a new person of `role` in an organisation of their own."""
    tag = uuid.uuid4().hex[:8]
    org = org or f"org-{role}-{tag}"
    return bearer(f"{role}-{tag}", org, region, role), org


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


async def walk(c: httpx.AsyncClient, queue: str, headers: dict, page_size: int = 200, **params) -> list[dict]:
    """Every item of the queue for `headers`, following next_cursor to the end."""
    items, cursor = [], ""
    while True:
        page = ok(await c.get(f"/api/v1/queues/{queue}", headers=headers,
                              params={**params, "page_size": page_size, "cursor": cursor}))
        assert set(page) == {"items", "next_cursor"}
        items += page["items"]
        if not page["next_cursor"]:
            return items
        cursor = page["next_cursor"]


async def ids(c, queue: str, headers: dict, key: str, among=None, **params) -> list[str]:
    """The ids (`key`) of the queue's items in queue order; only those in `among` if given (the
    platform is shared: other tests' items may be in the global queues)."""
    found = [i[key] for i in await walk(c, queue, headers, **params)]
    return [i for i in found if among is None or i in among]


async def forbidden(c, queue: str, headers: dict) -> None:
    r = await c.get(f"/api/v1/queues/{queue}", headers=headers)
    assert r.status_code == 403 and r.json()["type"].endswith("/forbidden"), (r.status_code, r.text)


async def bad(c, queue: str, headers: dict, field: str, **params) -> None:
    r = await c.get(f"/api/v1/queues/{queue}", headers=headers, params=params)
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json", (r.status_code, r.text)
    assert r.json()["field"] == field, r.text
