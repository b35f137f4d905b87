"""The message bus on fakes: one unit of work per write, retried whole on a lost race and
only then; queries without a transaction; sweeps one unit per due id."""

from dataclasses import dataclass

import pytest
from pymongo.errors import OperationFailure

from services.common import errors
from services.common.bus import Checked, MessageBus, Sweep
from tests.unit.fakes import FakeUnitOfWork


@dataclass(frozen=True)
class Write:
    fail_times: int = 0


@dataclass(frozen=True)
class Read:
    pass


class Counter:
    def __init__(self):
        self.calls, self.entered = 0, []


async def write(cmd: Write, uow, deps: Counter):
    deps.calls += 1
    deps.entered.append(uow.entered)
    if deps.calls <= cmd.fail_times:
        raise OperationFailure("Write conflict during plan execution", 112)
    return deps.calls


async def read(cmd: Read, uow, deps: Counter):
    deps.entered.append(uow.entered)
    return "read"


def bus(**commands):
    uow = FakeUnitOfWork()
    return uow, MessageBus({Write: write, **commands}, {Read: read}, lambda: uow, Counter())


async def test_a_write_runs_in_one_committed_unit_and_a_lost_race_reruns_it_whole():
    uow, b = bus()
    assert await b.handle(Write(fail_times=2)) == 3
    assert b.deps.entered == [True, True, True] and uow.committed == 1


async def test_other_errors_are_not_retried_and_commit_nothing():
    async def refuse(cmd, uow, deps):
        deps.calls += 1
        raise errors.Conflict("no", "x")
    uow, b = bus()
    b.commands[Write] = refuse
    with pytest.raises(errors.Conflict):
        await b.handle(Write())
    assert b.deps.calls == 1 and uow.committed == 0


async def test_a_query_gets_a_unit_of_work_outside_any_transaction():
    uow, b = bus()
    assert await b.handle(Read()) == "read" and b.deps.entered == [False] and uow.committed == 0


async def test_checked_runs_its_check_outside_the_transaction_and_passes_the_result_on():
    async def check(cmd, uow, deps):
        return ("checked", uow.entered)

    async def change(cmd, uow, deps, checked):
        return (*checked, uow.entered)
    uow, b = bus()
    b.commands[Write] = Checked(check, change)
    assert await b.handle(Write()) == ("checked", False, True) and uow.committed == 1


async def test_sweep_runs_one_unit_per_due_id_and_leaves_conflicts_to_the_next_tick():
    async def find_due(cmd, uow, deps):
        return ["a", "b", "c", "d"]

    async def change_one(cmd, entity_id, uow, deps):
        if entity_id == "b":
            raise errors.Conflict("changed meanwhile", "version")
        if entity_id == "c":
            raise errors.NotFound("gone", "id")
        return entity_id != "d"
    uow, b = bus()
    b.commands[Write] = Sweep(find_due, change_one)
    assert await b.handle(Write()) == ["a"] and uow.committed == 2  # a and d committed; b and c rolled back


async def test_a_command_in_both_tables_or_in_none_is_refused():
    with pytest.raises(ValueError, match="Read"):
        MessageBus({Read: read}, {Read: read}, FakeUnitOfWork, None)
    _, b = bus()
    with pytest.raises(LookupError, match="no handler for int"):
        await b.handle(1)


@dataclass(frozen=True)
class FlakyRead:
    fail_times: int = 1


async def flaky_read(cmd: FlakyRead, uow, deps: Counter):
    deps.calls += 1
    if deps.calls <= cmd.fail_times:   # the embedded server while another session's transaction runs
        raise OperationFailure("SQLiteEngine has an active transaction bound to another session", 2)
    return "read"


async def test_a_query_that_meets_another_sessions_transaction_is_retried_not_a_503():
    deps = Counter()
    bus = MessageBus({}, {FlakyRead: flaky_read}, FakeUnitOfWork, deps)
    assert await bus.handle(FlakyRead(fail_times=2)) == "read" and deps.calls == 3


async def test_the_reads_before_a_transaction_are_retried_when_they_meet_another_sessions_transaction():
    busy = OperationFailure("SQLiteEngine has an active transaction bound to another session")
    reads = []

    async def find_due(cmd, uow, deps):      # a timer's "what is due" read (issue 15 item 7)
        reads.append("due")
        if reads.count("due") == 1:
            raise busy
        return ["a"]

    async def check(cmd, uow, deps):         # a Checked write's read before its transaction
        reads.append("check")
        if reads.count("check") == 1:
            raise busy
        return "ok"

    async def change_one(cmd, entity_id, uow, deps):
        return entity_id

    uow, b = bus()
    b.commands[Write] = Sweep(find_due, change_one)
    assert await b.handle(Write()) == ["a"]
    b.commands[Write] = Checked(check, lambda cmd, uow, deps, checked: _value(checked))
    assert await b.handle(Write()) == "ok"
    assert reads == ["due", "due", "check", "check"] and uow.committed == 2


async def _value(value):
    return value


@dataclass(frozen=True)
class Export:
    fail_times: int = 0
    items: int = 3


async def test_a_stream_that_lost_a_race_before_its_first_item_starts_again_and_yields_each_once():
    async def export(cmd: Export, uow, deps: Counter):
        deps.calls += 1
        failing = deps.calls <= cmd.fail_times

        async def items():
            if failing:   # the store refuses the cursor's first batch
                raise OperationFailure("SQLiteEngine has an active transaction bound to another session", 0)
            for n in range(cmd.items):
                yield n
        return items()
    uow, b = bus()
    b.queries[Export] = export
    assert [n async for n in b.stream(Export(fail_times=2))] == [0, 1, 2] and b.deps.calls == 3
    assert [n async for n in b.stream(Export(items=0))] == [] and b.deps.calls == 4
