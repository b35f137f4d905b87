"""Live statistics and the technology trading map (pure): what one deal event contributes,
and sums over stored cells. A deal is (month YYYY-MM, field, from region, to region, amount
in cents); `from` is the supplying side (seller / vendor / origin), `to` the receiving side."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Deal:
    month: str
    field: str
    from_region: str
    to_region: str
    cents: int


def cents(amount: str) -> int:
    try:
        value = Decimal(amount or "0")
    except ArithmeticError:
        return 0
    return int((value * 100).to_integral_value()) if value.is_finite() and value > 0 else 0


def money(value: int) -> str:
    return f"{Decimal(value) / 100:.2f}"


def month_of(moment) -> str:
    return f"{moment.year:04d}-{moment.month:02d}"


def selected(month: str, field: str, month_from: str, month_to: str, only_field: str) -> bool:
    return ((not month_from or month >= month_from) and (not month_to or month <= month_to)
            and (not only_field or field == only_field))


def sum_by(cells: list[dict], key) -> list[dict]:
    """cells carry count and cents; totals by key(cell), sorted by key."""
    out: dict[tuple, list[int]] = {}
    for c in cells:
        slot = out.setdefault(key(c), [0, 0])
        slot[0] += c["count"]
        slot[1] += c["cents"]
    return [{"key": k, "count": v[0], "cents": v[1]} for k, v in sorted(out.items())]
