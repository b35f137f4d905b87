"""The message bus of a service: every command goes through `handle`, every "find what is
due, then change each" timer through `sweep`. The one place with the retry and the unit
of work, so handlers hold neither.

The pattern, per service (incubation is the worked example):

- `service_layer/handlers.py` has two tables: `COMMANDS = {Cmd: handler}` (writes) and
  `QUERIES = {Query: handler}` (reads). A handler is `async def h(cmd, uow, deps)`: it reads
  and writes through the repositories/views on `uow` (`uow.cases.get(id)`, `uow.views.x()`),
  never through `.db[...]`, and uses `deps` for the clock, clients and settings.
- `MessageBus(COMMANDS, QUERIES, uow_factory, deps).handle(cmd)`: a write runs in one unit of
  work (`async with uow`, handler, `uow.commit()`), retried whole by `mongo.with_retry` when its
  transaction lost a race (the only retry: callers must not wrap it again); a query gets a
  unit of work that is not entered (no transaction, no write lock; its stores read directly).
- `uow_factory` returns a unit of work with the service's stores attached
  (`services.common.repository.with_stores(host.uow, cases=..., views=...)`); unit tests pass
  `tests.unit.fakes.FakeUnitOfWork(cases=FakeRepository(...), views=FakeViews(...))` instead.
- Two more table entries for writes: `Checked(check, change)` runs `check(cmd, uow, deps)`
  outside the transaction (live calls to other services, reads) and then
  `change(cmd, uow, deps, checked)` in the retried unit; `Sweep(find_due, change_one)` binds
  a timer command to `bus.sweep` (`find_due(cmd, uow, deps)`, `change_one(cmd, id, uow, deps)`).
- `bus.sweep(find_due, change_one)`: `find_due(uow)` lists the due ids (read, no transaction;
  retried like a query, since a read can meet another session's transaction on the embedded server),
  then `change_one(id, uow, deps)` runs in one retried unit of work per id; ids whose change
  conflicts or vanished meanwhile are left to the next tick. Returns the ids that changed
  (those where `change_one` returned something truthy).
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from services.common import errors, logs, mongo

Handler = Callable[..., Awaitable]


@dataclass(frozen=True)
class Checked:
    """A write with a step before the transaction: `check(cmd, uow, deps)` (not entered),
    then `change(cmd, uow, deps, checked)` in the unit of work."""
    check: Handler
    change: Handler


@dataclass(frozen=True)
class Sweep:
    """A timer command: `find_due(cmd, uow, deps)` lists ids, `change_one(cmd, id, uow, deps)`
    changes one in its own unit of work; handling returns the ids that changed."""
    find_due: Handler
    change_one: Handler


class MessageBus:
    def __init__(self, commands: dict[type, Handler], queries: dict[type, Handler], uow: Callable, deps):
        overlap = set(commands) & set(queries)
        if overlap:
            raise ValueError(f"{sorted(c.__name__ for c in overlap)} are both commands and queries")
        self.commands, self.queries, self.uow, self.deps = commands, queries, uow, deps

    async def handle(self, command):
        kind = type(command)
        if kind in self.queries:   # a read can meet another session's transaction on the embedded server
            return await mongo.with_retry(lambda: self.queries[kind](command, self.uow(), self.deps))
        if kind not in self.commands:
            raise LookupError(f"no handler for {kind.__name__}")
        handler = self.commands[kind]
        if isinstance(handler, Sweep):
            return await self.sweep(lambda uow: handler.find_due(command, uow, self.deps),
                                    lambda entity_id, uow, deps: handler.change_one(command, entity_id, uow, deps))
        if isinstance(handler, Checked):
            checked = await mongo.with_retry(lambda: handler.check(command, self.uow(), self.deps))
            return await self.unit(lambda uow: handler.change(command, uow, self.deps, checked))
        return await self.unit(lambda uow: handler(command, uow, self.deps))

    async def stream(self, query):
        """A query answered with an async iterator: a lost race before its first item (the
        embedded server refuses a read while another client's transaction runs) starts it again;
        after that the items flow as the store yields them."""
        async def start():
            items = aiter(await self.handle(query))
            try:
                return [await anext(items)], items
            except StopAsyncIteration:
                return [], None
        first, rest = await mongo.with_retry(start)
        for item in first:
            yield item
        if rest is not None:
            async for item in rest:
                yield item

    async def unit(self, work: Callable[[object], Awaitable]):
        """`await work(uow)` in one transaction and commit, retried whole on a lost race."""
        async def once():
            async with self.uow() as uow:
                result = await work(uow)
                await uow.commit()
                return result
        return await mongo.with_retry(once)

    async def sweep(self, find_due: Callable[[object], Awaitable[list]], change_one: Handler,
                    skip: tuple[type[Exception], ...] = (errors.Conflict, errors.NotFound)) -> list:
        changed = []
        for entity_id in await mongo.with_retry(lambda: find_due(self.uow())):  # a read, as in `handle`
            try:
                if await self.unit(lambda uow, i=entity_id: change_one(i, uow, self.deps)):
                    changed.append(entity_id)
            except skip as exc:  # changed or removed meanwhile: the next tick looks again
                logs.get("sweep").info("sweep.retry_next_tick", entity_id=entity_id, reason=type(exc).__name__)
        return changed
