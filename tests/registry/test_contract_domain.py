"""Technology contract aggregate and statistics arithmetic: pure, no I/O."""

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Forbidden, InvalidInput, TransitionRefused
from services.common.identity import Principal
from services.registry.domain import contract, statistics

SELLER = Principal("u-1", "org-1", "TIANJIN", frozenset({"institution"}))
OP = Principal("op", "platform", "BEIJING", frozenset({"operator"}))
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def new(**over):
    args = dict(type="development", title="联合开发", seller={}, buyer={"organisation": "b", "region": "HEBEI"},
                amount="10.5", field="ai", achievement_ids=[])
    return contract.file("c-1", SELLER, NOW, 7, **{**args, **over})


def test_filing_defaults_validation_and_number():
    c = new()
    assert (c.seller.organisation, c.seller.region, c.amount, c.due_at) == ("org-1", "TIANJIN", "10.50",
                                                                          NOW + timedelta(days=7))
    assert [type(e).__name__ for e in c.events] == ["ContractFiled"] and c.events[0].contract["version"] == 1
    for over, field in (({"amount": "1.001"}, "amount"), ({"type": "gift"}, "type"),
                        ({"buyer": {"organisation": "b", "region": "MARS"}}, "buyer.region")):
        with pytest.raises(InvalidInput) as exc:
            new(**over)
        assert exc.value.field == field
    with pytest.raises(Forbidden):
        new(seller={"organisation": "someone-else"})
    with pytest.raises(Forbidden):
        c.register(SELLER, NOW, "110000", 1)
    c.register(OP, NOW, "110000", 42)
    assert c.contract_number == "110000-2026-JSKF-000042" and c.version == 2
    with pytest.raises(TransitionRefused):
        c.refuse(OP, NOW, "late")


def test_time_limit_extension_and_single_breach():
    c = new()
    with pytest.raises(InvalidInput):
        c.extend(OP, 31, 30)
    assert not c.check_deadline(OP, NOW + timedelta(days=6))
    c.extend(OP, 30, 30)
    assert not c.check_deadline(OP, NOW + timedelta(days=29))
    assert c.check_deadline(OP, NOW + timedelta(days=30))
    assert not c.check_deadline(OP, NOW + timedelta(days=31))
    assert [type(e).__name__ for e in c.events][-2:] == ["ContractDeadlineExtended", "ContractDeadlineBreached"]


def test_statistics_arithmetic():
    assert statistics.cents("400000.50") == 40000050 and statistics.cents("-3") == 0
    assert statistics.money(40000050) == "400000.50"
    cells = [{"month": "2026-01", "count": 2, "cents": 150}, {"month": "2026-02", "count": 1, "cents": 5},
             {"month": "2026-01", "count": 1, "cents": 1}]
    assert statistics.sum_by(cells, lambda c: c["month"]) == [{"key": "2026-01", "count": 3, "cents": 151},
                                                              {"key": "2026-02", "count": 1, "cents": 5}]
    assert statistics.selected("2026-02", "ai", "2026-01", "2026-02", "ai")
    assert not statistics.selected("2026-03", "ai", "2026-01", "2026-02", "")
