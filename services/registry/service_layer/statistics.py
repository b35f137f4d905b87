"""Live statistics: the worker applies deal events (once per event id) to `stats_flows`
cells keyed (month, field, from region, to region) with count and amount in cents; the API
sums the cells for totals by region / field / month and the trading map."""

import re

from pymongo.errors import DuplicateKeyError

from services.common.contracts import to_dict
from services.common.errors import require
from services.registry.domain import commands, statistics, taxonomy
from services.registry.domain.statistics import Deal
from services.registry.service_layer.deps import Deps

DEAL_TOPICS = ("bth.registry.contract.v1", "bth.registry.achievement.v1", "bth.procurement.award.v1",
               "bth.incubation.case.v1")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def _region(value) -> str:
    value = str(value or "")
    return value if value in taxonomy.REGIONS else "OTHER"


def deal_of(envelope, message) -> Deal | None:
    """The deal an event reports, or None (not a deal event)."""
    kind = envelope.type.rsplit(".", 1)[-1]
    if kind == "ContractRegistered":
        c = message.contract
        return Deal(statistics.month_of(c.decided_at.ToDatetime()), c.field, _region(c.seller.region),
                    _region(c.buyer.region), statistics.cents(c.amount))
    if kind == "TransformationRecorded":
        a = to_dict(message.achievement)
        deal = next((t for t in a.get("transformations", []) if t["transformation_id"] == message.note), None)
        if deal is None:
            return None
        return Deal(deal["date"][:7], a.get("field", ""), _region(a.get("region")),
                    _region(deal.get("counterparty_region")), statistics.cents(deal.get("amount", "")))
    if kind == "AwardMade":  # counted in the award's month, not when it was entered
        award = message.award if message.HasField("award") else None
        when = award.award_date.ToDatetime() if award and award.HasField("award_date") else envelope.time
        return Deal(statistics.month_of(when), message.field, _region(message.vendor_region),
                    _region(message.buyer_region), statistics.cents(message.amount))
    if kind == "CaseLanded":
        return Deal(statistics.month_of(envelope.time), message.field, _region(message.from_region),
                    _region(message.to_region), statistics.cents(message.amount))
    return None


async def apply_deal_event(envelope, message, deps: Deps) -> bool:
    """Count the event's deal once (idempotent per event id), in one transaction."""
    deal = deal_of(envelope, message)
    if deal is None:
        return False
    async with deps.uow() as uow:
        try:
            await uow.db["stats_seen"].insert_one({"_id": envelope.id, "type": envelope.type}, session=uow.session)
        except DuplicateKeyError:
            return False
        key = f"{deal.month}|{deal.field}|{deal.from_region}|{deal.to_region}"
        await uow.db["stats_flows"].update_one(
            {"_id": key},
            {"$inc": {"count": 1, "cents": deal.cents},
             "$set": {"month": deal.month, "field": deal.field, "from_region": deal.from_region,
                      "to_region": deal.to_region}}, upsert=True, session=uow.session)
        await uow.commit()
    return True


async def _cells(cmd: commands.GetStatistics, deps: Deps) -> list[dict]:
    for name in ("month_from", "month_to"):
        value = getattr(cmd, name)
        require(not value or bool(_MONTH.match(value)), f"{name} must be YYYY-MM", name)
    if cmd.field:
        require(cmd.field in taxonomy.FIELDS, f"unknown key field {cmd.field!r}", "field")
    docs = await deps.uow().db["stats_flows"].find({}).to_list()
    return [d for d in docs if statistics.selected(d["month"], d["field"], cmd.month_from, cmd.month_to, cmd.field)]


def _money(rows: list[dict]) -> list[dict]:
    return [{**{k: v for k, v in r.items() if k != "cents"}, "amount": statistics.money(r["cents"])} for r in rows]


async def get_statistics(cmd: commands.GetStatistics, deps: Deps) -> dict:
    cells = await _cells(cmd, deps)
    return {"by_region": _money(statistics.sum_by(cells, lambda c: c["from_region"])),
            "by_field": _money(statistics.sum_by(cells, lambda c: c["field"])),
            "by_month": _money(statistics.sum_by(cells, lambda c: c["month"])),
            "count": sum(c["count"] for c in cells), "amount": statistics.money(sum(c["cents"] for c in cells))}


async def get_trading_map(cmd: commands.GetStatistics, deps: Deps) -> dict:
    cells = await _cells(cmd, deps)
    flows = statistics.sum_by(cells, lambda c: (c["from_region"], c["to_region"], c["field"], c["month"]))
    routes = statistics.sum_by(cells, lambda c: (c["from_region"], c["to_region"]))

    def flow(row, with_cell: bool) -> dict:
        f, t, *rest = row["key"]
        field, month = rest if with_cell else ("", "")
        return {"from_region": f, "to_region": t, "field": field, "month": month, "count": row["count"],
                "amount": statistics.money(row["cents"])}
    return {"flows": [flow(r, True) for r in flows], "routes": [flow(r, False) for r in routes],
            "count": sum(c["count"] for c in cells), "amount": statistics.money(sum(c["cents"] for c in cells))}
