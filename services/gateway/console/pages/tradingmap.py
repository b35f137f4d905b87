"""The trading map as a picture: technology deals between regions, by month and field, drawn
server-side as inline SVG from REST's /trading-map (with the flows as a table beside it)."""

import re

from fastapi import APIRouter, Request

from services.gateway.console import render, session, svgmap

router = APIRouter()
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@router.get("/map")
async def trading_map(request: Request, month: str = "", field: str = ""):
    me = await session.principal(request)
    month = month if MONTH.match(month) else ""
    query = {"month_from": month, "month_to": month, "field": field[:50]}
    body = await session.api(request).get("/api/v1/trading-map", query)
    flows = sorted(body.get("routes", []), key=lambda r: -int(r.get("count", 0)))
    return render.page(request, "map.html", me=me, month=month, field=field[:50], flows=flows,
                       picture=svgmap.shapes(flows), count=body.get("count", 0), amount=body.get("amount", "0.00"))
