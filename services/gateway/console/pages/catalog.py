"""The catalog: search with filters (Chinese text works as in REST), a product with its registry
evidence and listing term, and the expert's score in place."""

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from services.gateway.console import render, session
from services.gateway.console.api import Problem

router = APIRouter()
PRODUCTS = "/api/v1/procurement/products"
FILTERS = ("text", "category", "region", "first_set", "min_price", "max_price", "cursor")


@router.get("/catalog")
async def catalog(request: Request):
    me = await session.principal(request)
    query = {k: request.query_params.get(k, "")[:200] for k in FILTERS}
    page, problem = {"items": [], "next_cursor": ""}, None
    try:
        page = await session.api(request).get(PRODUCTS, {**query, "page_size": 20})
    except Problem as exc:
        if exc.status == 401:
            raise session.SignInRequired from None
        problem = exc
    more = {k: v for k, v in query.items() if v and k != "cursor"}
    return render.page(request, "catalog.html", me=me, query=query, products=page.get("items", []),
                       next_cursor=page.get("next_cursor", ""), more=more, search_error=problem)


async def _evidence(api, achievement_ids: list[str]) -> list[dict]:
    """Each achievement the product rests on, as the registry shows it to this person."""
    found = []
    for aid in achievement_ids:
        try:
            found.append({"id": aid, **(await api.get(f"/api/v1/achievements/{aid}"))})
        except Problem as exc:
            found.append({"id": aid, "problem": exc})
    return found


async def _product_page(request: Request, product_id: str, status: int = 200, error: Problem | None = None):
    me = await session.principal(request)
    api = session.api(request)
    product = await api.get(f"{PRODUCTS}/{product_id}")
    evidence = await _evidence(api, product.get("achievement_ids", []))
    return render.page(request, "product.html", status=status, me=me, product=product, evidence=evidence,
                       error=error)


@router.get("/products/{product_id}")
async def product(request: Request, product_id: str):
    return await _product_page(request, product_id)


@router.post("/products/{product_id}/review", dependencies=[Depends(session.check_csrf)])
async def review(request: Request, product_id: str, score: Annotated[str, Form(max_length=10)],
                 opinion: Annotated[str, Form(max_length=5000)]):
    body = {"score": int(score) if score.strip().isdigit() else score, "opinion": opinion}
    try:
        await session.api(request).post(f"{PRODUCTS}/{product_id}/reviews", body)
    except Problem as exc:
        if exc.status == 401:
            raise session.SignInRequired from None
        return await _product_page(request, product_id, status=exc.status, error=exc)
    return RedirectResponse(f"/console/products/{product_id}", status_code=303)
