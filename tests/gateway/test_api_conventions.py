"""docs/api-conventions.md against the gateway: every query parameter of every operation is
one the page lists (older names only where the page lists them, and marked deprecated in
OpenAPI), paging is always `page_size` with `cursor`, every DELETE answers 204; and through
real HTTP, list replies carry `items` and `next_cursor` ("" on the last page) and
timestamps end in `Z`."""

import re
import uuid
from pathlib import Path

import httpx

from tests.gateway.test_openapi import document
from tests.support.identity import bearer

PAGE = (Path(__file__).parents[2] / "docs/api-conventions.md").read_text()


def _table(heading: str) -> list[list[str]]:
    """Rows of the first table after `heading` (cells stripped of backticks)."""
    section = PAGE.split(heading, 1)[1]
    rows = re.findall(r"^\|(.+)\|$", section.split("\n\n|", 1)[1].split("\n\n", 1)[0].join(["|", ""]), re.M)
    return [[c.strip().strip("`") for c in row.split("|")] for row in rows[2:]]


def operations() -> list[tuple[str, str, dict]]:
    return [(method.upper(), path, op) for path, item in document()["paths"].items() for method, op in item.items()]


def test_every_query_parameter_is_a_documented_name():
    names = {row[0] for row in _table("## Query parameters")}
    older = {(row[0], row[2]) for row in _table("Older names, still read")}
    assert len(names) >= 20 and len(older) == 5
    odd, seen_older = [], set()
    for method, path, op in operations():
        for param in op.get("parameters", []):
            if param["in"] != "query":
                continue
            if param.get("deprecated"):
                seen_older.add((param["name"], f"{method} {path}"))
            elif param["name"] not in names:
                odd.append(f"{method} {path}: {param['name']}")
    assert odd == [] and seen_older == older


def test_paging_is_page_size_with_cursor_and_delete_is_204():
    for method, path, op in operations():
        query = {p["name"] for p in op.get("parameters", []) if p["in"] == "query" and not p.get("deprecated")}
        assert ("page_size" in query) == ("cursor" in query), f"{method} {path}"
        if method == "DELETE":
            assert [s for s in op["responses"] if s.startswith("2")] == ["204"], path


async def test_list_replies_and_timestamps_follow_the_page(platform):
    operator = bearer(f"op-conv-{uuid.uuid4().hex[:6]}", "org-platform", "BEIJING", "operator")
    nothing = f"no-such-{uuid.uuid4().hex}"
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10, headers=operator) as c:
        for path, params in (("/api/v1/procurement/products", {"q": nothing}),
                             ("/api/v1/incubation/cases", {"station_id": nothing}),
                             ("/api/v1/achievements", {"q": nothing})):
            r = await c.get(path, params=params)
            assert r.status_code == 200, (path, r.text)
            assert (r.json()["items"], r.json()["next_cursor"]) == ([], ""), path
        r = await c.get("/api/v1/incubation/stations", params={"page_size": 200})   # fewer than 200: the last page
        assert len(r.json()["items"]) < 200 and r.json()["next_cursor"] == ""
        created = await c.post("/api/v1/accounts/users", json={
            "username": f"conv-{uuid.uuid4().hex[:8]}", "password": "a-long-passphrase", "organisation": "org-c",
            "region": "HEBEI", "roles": ["enterprise"]})
        assert created.status_code == 201, created.text
        assert created.json()["created_at"].endswith("Z") and created.json()["updated_at"].endswith("Z")
