"""Live statistics: the worker's stream (subscription "deal-statistics") counts each deal event
once into the statistics cells (month, field, from region, to region: count and cents); the
queries sum the cells for totals by region / field / month and the trading map."""

import re

from services.common.errors import InvalidInput, require
from services.registry.domain import commands, statistics, taxonomy
from services.registry.domain.statistics import Deal
from services.registry.service_layer.deps import Deps

DEAL_EVENTS = ("bth.registry.v1.ContractRegistered", "bth.registry.v1.TransformationRecorded",
               "bth.procurement.v1.AwardMade", "bth.incubation.v1.CaseLanded")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _region(value) -> str:
    value = str(value or "")
    return value if value in taxonomy.REGIONS else "OTHER"


def deal_of(envelope, message) -> Deal | None:
    """The deal an event reports (its embedded bth.common.v1.Deal), or None (not a deal event).
    A deal event without a readable deal is refused (InvalidInput): retried, then dead-lettered,
    never dropped."""
    if envelope.type not in DEAL_EVENTS:
        return None
    deal = message.deal
    if not message.HasField("deal") or not _MONTH.match(deal.date[:7]):
        raise InvalidInput(f"{envelope.type} {envelope.subject!r} carries no deal with a date", "deal")
    return Deal(deal.date[:7], deal.field, _region(deal.from_region), _region(deal.to_region),
                statistics.cents(deal.amount))


async def count_deal_event(message, envelope, uow) -> None:
    """Subscription handler: count the event's deal, in the unit of work holding the inbox mark."""
    deal = deal_of(envelope, message)
    if deal is not None:
        await uow.statistics.count(deal)


async def _cells(cmd: commands.GetStatistics, uow) -> list[dict]:
    for name in ("month_from", "month_to"):
        value = getattr(cmd, name)
        require(not value or bool(_MONTH.match(value)), f"{name} must be YYYY-MM", name)
    if cmd.field:
        require(cmd.field in taxonomy.FIELDS, f"unknown key field {cmd.field!r}", "field")
    return await uow.statistics.cells(cmd.month_from, cmd.month_to, cmd.field)


def _money(rows: list[dict]) -> list[dict]:
    return [{**{k: v for k, v in r.items() if k != "cents"}, "amount": statistics.money(r["cents"])} for r in rows]


async def get_statistics(cmd: commands.GetStatistics, uow, deps: Deps) -> dict:
    cells = await _cells(cmd, uow)
    return {"by_region": _money(statistics.sum_by(cells, lambda c: c["from_region"])),
            "by_field": _money(statistics.sum_by(cells, lambda c: c["field"])),
            "by_month": _money(statistics.sum_by(cells, lambda c: c["month"])),
            "count": sum(c["count"] for c in cells), "amount": statistics.money(sum(c["cents"] for c in cells))}


async def get_trading_map(cmd: commands.GetTradingMap, uow, deps: Deps) -> dict:
    cells = await _cells(cmd, uow)
    flows = statistics.sum_by(cells, lambda c: (c["from_region"], c["to_region"], c["field"], c["month"]))
    routes = statistics.sum_by(cells, lambda c: (c["from_region"], c["to_region"]))

    def flow(row, with_cell: bool) -> dict:
        f, t, *rest = row["key"]
        field, month = rest if with_cell else ("", "")
        return {"from_region": f, "to_region": t, "field": field, "month": month, "count": row["count"],
                "amount": statistics.money(row["cents"])}
    return {"flows": [flow(r, True) for r in flows], "routes": [flow(r, False) for r in routes],
            "count": sum(c["count"] for c in cells), "amount": statistics.money(sum(c["cents"] for c in cells))}
