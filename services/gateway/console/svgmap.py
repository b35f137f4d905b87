"""Geometry of the trading map picture: the regions as circles at their rough places (Beijing in
the north, Tianjin to its south-east, Hebei around them, elsewhere apart) and each route as a
curved arrow whose width grows with its number of deals. Pure: data in, shapes out."""

import math
from decimal import Decimal

PLACES = {"BEIJING": (260, 110), "TIANJIN": (400, 220), "HEBEI": (180, 290), "OTHER": (460, 70)}
WIDTH, HEIGHT = 560, 380


def _radius(amount: Decimal, biggest: Decimal) -> float:
    return 26 + 24 * float(amount / biggest) if biggest else 26


def _toward(p: tuple[float, float], q: tuple[float, float], by: float) -> tuple[float, float]:
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = math.hypot(dx, dy) or 1.0
    return p[0] + dx / length * by, p[1] + dy / length * by


def _curve(a, b, ra: float, rb: float, bend: float) -> tuple[str, tuple[float, float]]:
    """A quadratic arrow from circle `a` (radius ra) to circle `b`, leaving and ending at their rims."""
    (x1, y1), (x2, y2) = a, b
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    c = (mx + (y1 - y2) * bend, my + (x2 - x1) * bend)
    s, e = _toward(a, c, ra + 3), _toward(b, c, rb + 4)
    label = ((mx + c[0]) / 2, (my + c[1]) / 2)
    return f"M{s[0]:.0f},{s[1]:.0f} Q{c[0]:.0f},{c[1]:.0f} {e[0]:.0f},{e[1]:.0f}", label


def shapes(routes: list[dict]) -> dict:
    """Nodes (region, x, y, r, deals out, amount out) and edges (path, width, label place)."""
    out_amount = {r: Decimal(0) for r in PLACES}
    out_count = dict.fromkeys(PLACES, 0)
    for route in routes:
        region = route.get("from_region", "OTHER") if route.get("from_region") in PLACES else "OTHER"
        out_amount[region] += Decimal(route.get("amount") or 0)
        out_count[region] += int(route.get("count", 0))
    biggest = max(out_amount.values(), default=Decimal(0))
    nodes = [{"region": r, "x": x, "y": y, "r": round(_radius(out_amount[r], biggest)), "count": out_count[r],
              "amount": f"{out_amount[r]:.2f}"} for r, (x, y) in PLACES.items()]
    radius = {n["region"]: n["r"] for n in nodes}
    most = max((int(r.get("count", 0)) for r in routes), default=1) or 1
    edges = []
    for route in routes:
        src, dst = route.get("from_region"), route.get("to_region")
        if src not in PLACES or dst not in PLACES:
            continue
        count = int(route.get("count", 0))
        if src == dst:   # deals inside one region: a loop above its circle
            (x, y), r = PLACES[src], radius[src]
            path = f"M{x - 14},{y - r} C{x - 50},{y - r - 64} {x + 50},{y - r - 64} {x + 14},{y - r - 3}"
            label = (x, y - r - 52)
        else:
            path, label = _curve(PLACES[src], PLACES[dst], radius[src], radius[dst], 0.18)
        edges.append({"path": path, "width": round(2 + 10 * count / most, 1), "lx": round(label[0]),
                      "ly": round(label[1]), "count": count, "amount": route.get("amount", "0.00"),
                      "from": src, "to": dst})
    return {"nodes": nodes, "edges": edges, "width": WIDTH, "height": HEIGHT}
