"""Live statistics on fakes: what each deal event counts (the subscription handler of the
"deal-statistics" stream), an unreadable deal event refused (so the stream retries and then
dead-letters it), and the statistics / trading-map queries over the cells."""

from datetime import UTC, datetime

import pytest

from bth.common.v1.common_pb2 import Deal
from bth.incubation.v1 import case_pb2
from bth.procurement.v1 import events_pb2 as procurement_events
from bth.registry.v1 import achievement_pb2, contract_pb2
from services.common.envelope import Envelope
from services.common.errors import InvalidInput
from services.registry.domain import commands as c
from services.registry.service_layer import handlers, statistics
from tests.unit.registry.lifecycle_world import OPERATOR, world

WHEN = datetime(2026, 3, 9, tzinfo=UTC)


def envelope(kind: str, message) -> Envelope:
    return Envelope(id=f"ev-{kind}", type=kind, source="/test", subject="s", time=WHEN,
                    data=message.SerializeToString())


def contract_registered() -> contract_pb2.ContractRegistered:
    m = contract_pb2.ContractRegistered(contract_id="con-1", deal=Deal(
        kind="licence", amount="1000.50", field="5g", from_region="BEIJING", to_region="HEBEI", date="2026-02-03",
        source_id="con-1"))
    m.contract.field, m.contract.amount = "5g", "9.99"   # the snapshot is not read: the deal is
    return m


def transformation(date: str = "2026-01-20", deal: bool = True) -> achievement_pb2.TransformationRecorded:
    m = achievement_pb2.TransformationRecorded(achievement_id="ach-1", note="t-1")
    if deal:
        m.deal.CopyFrom(Deal(kind="licence", amount="20", field="ai", from_region="TIANJIN", to_region="SHANGHAI",
                             date=date, source_id="t-1"))
    return m


DEALS = [
    ("bth.registry.v1.ContractRegistered", contract_registered(), ("2026-02", "5g", "BEIJING", "HEBEI", 100050)),
    ("bth.registry.v1.TransformationRecorded", transformation(), ("2026-01", "ai", "TIANJIN", "OTHER", 2000)),
    ("bth.procurement.v1.AwardMade", procurement_events.AwardMade(award_id="aw-1", deal=Deal(
        kind="award", amount="5", field="energy", from_region="HEBEI", to_region="TIANJIN", date="2026-03-01")),
     ("2026-03", "energy", "HEBEI", "TIANJIN", 500)),
    ("bth.incubation.v1.CaseLanded", case_pb2.CaseLanded(case_id="case-1", deal=Deal(
        kind="licence", amount="880000.00", field="food-safety", from_region="BEIJING", to_region="HEBEI",
        date="2026-03-09")),
     ("2026-03", "food-safety", "BEIJING", "HEBEI", 88000000)),
]


@pytest.mark.parametrize(("kind", "message", "cell"), DEALS, ids=[d[0].rsplit(".", 1)[1] for d in DEALS])
async def test_each_deal_event_counts_one_deal_in_its_cell(kind, message, cell):
    uow, deps = world()
    async with uow:
        await statistics.count_deal_event(message, envelope(kind, message), uow)
        await uow.commit()
    month, field, from_region, to_region, cents = cell
    assert list(uow.statistics.items.values()) == [{"month": month, "field": field, "from_region": from_region,
                                                    "to_region": to_region, "count": 1, "cents": cents}]


def test_the_stream_table_lists_the_four_deal_events():
    assert set(handlers.SUBSCRIPTIONS["deal-statistics"]) == {k for k, _, _ in DEALS}
    assert "deal-statistics" in handlers.STREAMED and "deal-statistics" not in handlers.consumed()


@pytest.mark.parametrize("message", [transformation(deal=False), transformation(date="")])
async def test_an_unreadable_deal_is_refused_not_dropped(message):
    uow, deps = world()
    with pytest.raises(InvalidInput) as refused:
        async with uow:
            await statistics.count_deal_event(message, envelope("bth.registry.v1.TransformationRecorded", message),
                                              uow)
    assert refused.value.field == "deal" and uow.statistics.items == {}


async def test_other_events_count_nothing():
    uow, deps = world()
    message = contract_pb2.ContractFiled(contract_id="con-1")
    async with uow:
        await statistics.count_deal_event(message, envelope("bth.registry.v1.ContractFiled", message), uow)
    assert uow.statistics.items == {}


def seeded():
    uow, deps = world()
    uow.statistics.items = {str(i): {"month": m, "field": f, "from_region": a, "to_region": b, "count": n,
                                     "cents": cents} for i, (m, f, a, b, n, cents) in enumerate([
                                         ("2026-01", "5g", "BEIJING", "HEBEI", 2, 150000),
                                         ("2026-02", "5g", "BEIJING", "TIANJIN", 1, 1),
                                         ("2026-02", "ai", "HEBEI", "BEIJING", 3, 30000)])}
    return uow, deps


async def test_statistics_sum_the_selected_cells():
    uow, deps = seeded()
    stats = await handlers.handle(c.GetStatistics(OPERATOR, month_from="2026-02"), deps)
    assert stats == {
        "by_region": [{"key": "BEIJING", "count": 1, "amount": "0.01"},
                      {"key": "HEBEI", "count": 3, "amount": "300.00"}],
        "by_field": [{"key": "5g", "count": 1, "amount": "0.01"}, {"key": "ai", "count": 3, "amount": "300.00"}],
        "by_month": [{"key": "2026-02", "count": 4, "amount": "300.01"}], "count": 4, "amount": "300.01"}
    assert uow.committed == 0


async def test_the_trading_map_has_flows_and_routes():
    uow, deps = seeded()
    tmap = await handlers.handle(c.GetTradingMap(OPERATOR, field="5g"), deps)
    assert tmap["routes"] == [
        {"from_region": "BEIJING", "to_region": "HEBEI", "field": "", "month": "", "count": 2, "amount": "1500.00"},
        {"from_region": "BEIJING", "to_region": "TIANJIN", "field": "", "month": "", "count": 1, "amount": "0.01"}]
    assert [(f["to_region"], f["field"], f["month"]) for f in tmap["flows"]] == [("HEBEI", "5g", "2026-01"),
                                                                                 ("TIANJIN", "5g", "2026-02")]
    assert (tmap["count"], tmap["amount"]) == (3, "1500.01")


@pytest.mark.parametrize(("command", "field"), [(c.GetStatistics(OPERATOR, month_from="2026-13"), "month_from"),
                                                (c.GetTradingMap(OPERATOR, month_to="26-01"), "month_to"),
                                                (c.GetStatistics(OPERATOR, field="astrology"), "field")])
async def test_bad_filters_are_refused_naming_the_field(command, field):
    uow, deps = seeded()
    with pytest.raises(InvalidInput) as refused:
        await handlers.handle(command, deps)
    assert refused.value.field == field
