"""Technology contract handlers on fakes: file, get, register / refuse / extend, and the
deadline sweep (exact outcomes; refusals leave state unchanged)."""

from datetime import timedelta

import pytest

from services.common.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from services.common.identity import SYSTEM
from services.registry.domain import commands as c
from services.registry.service_layer import handlers
from tests.unit.registry.lifecycle_world import (
    BUYER,
    BUYER_PARTY,
    NOBODY,
    OPERATOR,
    SELLER,
    STRANGER,
    UNIV,
    filed,
    world,
)


def filing(actor=UNIV, **changes) -> c.FileContract:
    fields = {"type": "licence", "title": "RF licence", "seller": SELLER, "buyer": BUYER_PARTY, "amount": "1000",
              "field": "5g", "achievement_ids": ["ach-1"], **changes}
    return c.FileContract(actor, **fields)


async def test_filing_a_contract_starts_the_registrars_time_limit():
    uow, deps = world()
    filed_one = await handlers.handle(filing(), deps)
    assert (filed_one.status, filed_one.amount, filed_one.seller.organisation, filed_one.version) == (
        "FILED", "1000.00", "org-univ", 1)
    assert filed_one.due_at == deps.clock.now() + timedelta(days=7)
    assert list(uow.contracts.items) == [filed_one.contract_id] and uow.event_names() == ["ContractFiled"]


@pytest.mark.parametrize(("command", "error", "field"), [
    (filing(NOBODY), Forbidden, "organisation"),
    (filing(type="gift"), InvalidInput, "type"),
    (filing(amount="1.234"), InvalidInput, "amount"),
    (filing(buyer={**BUYER_PARTY, "region": "MARS"}), InvalidInput, "buyer.region"),
    (filing(STRANGER), Forbidden, "seller.organisation"),
])
async def test_a_refused_filing_writes_nothing(command, error, field):
    uow, deps = world()
    with pytest.raises(error) as refused:
        await handlers.handle(command, deps)
    assert refused.value.field == field and uow.contracts.items == {} and uow.events == []


async def test_the_registrar_registers_with_the_next_contract_number():
    uow, deps = world()
    uow.contracts.seed(filed(deps, "con-1"), filed(deps, "con-2"))
    first = await handlers.handle(c.RegisterContract(OPERATOR, "con-1", "ok"), deps)
    second = await handlers.handle(c.RegisterContract(OPERATOR, "con-2"), deps)
    assert (first.contract_number, second.contract_number) == ("110000-2026-JSXK-000001", "110000-2026-JSXK-000002")
    assert (first.status, first.decided_by, first.note, first.version) == ("REGISTERED", "op-1", "ok", 2)
    assert uow.counters.items == {"contract:110000:2026": 2} and uow.event_names() == ["ContractRegistered"] * 2


@pytest.mark.parametrize(("command", "error", "field"), [
    (c.RegisterContract(UNIV, "con-1"), Forbidden, "actor"),
    (c.RefuseContract(OPERATOR, "con-1", " "), InvalidInput, "note"),
    (c.ExtendContract(OPERATOR, "con-1", 31), InvalidInput, "days"),
    (c.ExtendContract(OPERATOR, "con-1", 5), InvalidInput, "days"),       # earlier than the current limit
    (c.RegisterContract(OPERATOR, "con-9"), NotFound, "contract_id"),
])
async def test_refused_decisions_leave_the_contract_and_the_counter_unchanged(command, error, field):
    uow, deps = world()
    uow.contracts.seed(filed(deps))
    before = dict(uow.contracts.items)
    with pytest.raises(error) as refused:
        await handlers.handle(command, deps)
    assert refused.value.field == field
    assert uow.contracts.items == before and uow.counters.items == {} and uow.events == []


async def test_refuse_and_extend():
    uow, deps = world()
    uow.contracts.seed(filed(deps, "con-1"), filed(deps, "con-2"))
    refused = await handlers.handle(c.RefuseContract(OPERATOR, "con-1", "not a technology contract"), deps)
    extended = await handlers.handle(c.ExtendContract(OPERATOR, "con-2", 20, "complex"), deps)
    assert (refused.status, refused.note) == ("REFUSED", "not a technology contract")
    assert extended.due_at == extended.filed_at + timedelta(days=20) and extended.status == "FILED"
    assert uow.event_names() == ["ContractRefused", "ContractDeadlineExtended"]
    with pytest.raises(TransitionRefused):
        await handlers.handle(c.RegisterContract(OPERATOR, "con-1"), deps)
    assert uow.contracts.items["con-1"].status == "REFUSED" and uow.counters.items == {}


async def test_a_contract_is_read_by_its_parties_and_operators_only():
    uow, deps = world()
    uow.contracts.seed(filed(deps))
    for who in (UNIV, BUYER, OPERATOR):
        assert (await handlers.handle(c.GetContract(who, "con-1"), deps)).contract_id == "con-1"
    with pytest.raises(NotFound) as hidden:
        await handlers.handle(c.GetContract(STRANGER, "con-1"), deps)
    assert hidden.value.field == "contract_id" and uow.committed == 0


async def test_the_deadline_sweep_flags_each_overdue_contract_once():
    uow, deps = world()
    uow.contracts.seed(filed(deps, "con-1"), filed(deps, "con-2"))
    await handlers.handle(c.RegisterContract(OPERATOR, "con-2"), deps)
    assert await handlers.handle(c.CheckContractDeadlines(SYSTEM), deps) == []
    deps.clock.advance(days=7)
    assert await handlers.check_contract_deadlines(deps) == ["con-1"]
    assert await handlers.handle(c.CheckContractDeadlines(OPERATOR), deps) == []   # flagged once
    assert uow.contracts.items["con-1"].breached is True
    assert uow.event_names() == ["ContractRegistered", "ContractDeadlineBreached"]
    with pytest.raises(Forbidden):
        await handlers.handle(c.CheckContractDeadlines(UNIV), deps)
