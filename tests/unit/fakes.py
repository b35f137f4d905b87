"""In-memory fakes for handler unit tests (cosmicpython's FakeRepository/FakeUnitOfWork),
generic over services: no broker, no Mongo, nothing started.

    uow = FakeUnitOfWork(stations=FakeRepository("station_id", "station"), views=FakeViews(x=...))
    deps = Deps(uow=lambda: uow, clock=ManualClock(), ...)
    result = await handlers.handle(cmd, deps)
    assert uow.committed == 1 and uow.event_names() == ["StationApplied"]

- FakeRepository(id_field, label, **queries): get/add/save/find like services.common.repository
  (copies in and out, NotFound/Conflict named like the real one, version-guarded saves);
  writes are staged in the unit and land only on commit, so a refused action leaves `items`
  unchanged. `queries` are the repository's named queries as plain functions over the
  committed aggregates: `due_for_sla=lambda cases, now: [c.case_id for c in cases]` (aggregates they
  return come back loaded, so a handler may save them, as after the real repository's find).
- FakeViews(**answers): each name an async method returning the answer (or answer(*args,
  **kwargs) if callable); `calls` records (name, args, kwargs).
- FakeRegistry(achievements): get_achievement/registered like services.common.registry_client.
"""

import copy

from services.common import errors


class FakeRepository:
    def __init__(self, id_field: str, label: str = "", **queries):
        self.id_field, self.label = id_field, label or id_field.removesuffix("_id")
        self.items: dict[str, object] = {}
        self.uow = None
        for name, query in queries.items():
            setattr(self, name, self._query(query))

    def _query(self, query):
        async def run(*args, **kwargs):
            found = query([copy.deepcopy(a) for a in self.items.values()], *args, **kwargs)
            for agg in found if isinstance(found, list) else ():
                if hasattr(agg, self.id_field):   # aggregates come back loaded, as from the real find
                    self._load(agg)
            return found
        return run

    def _load(self, agg):
        self.uow.loaded[(id(self), getattr(agg, self.id_field))] = agg.version
        return self.uow.track(agg)

    def seed(self, *aggregates) -> "FakeRepository":
        """Committed state before the test (recorded events dropped)."""
        for agg in aggregates:
            agg.events.clear()
            self.items[getattr(agg, self.id_field)] = copy.deepcopy(agg)
        return self

    def _current(self, entity_id: str):
        staged = self.uow.staged.get((id(self), entity_id)) if self.uow else None
        return staged if staged is not None else self.items.get(entity_id)

    async def get(self, entity_id: str):
        found = self._current(entity_id)
        if found is None:
            raise errors.NotFound(f"{self.label} {entity_id} does not exist", self.id_field)
        agg = copy.deepcopy(found)
        self.uow.loaded[(id(self), entity_id)] = agg.version
        return self.uow.track(agg)

    async def find(self, predicate=lambda a: True) -> list:
        return [self._load(copy.deepcopy(a)) for a in self.items.values() if predicate(a)]

    async def add(self, agg, unique_hint: str = "") -> None:
        entity_id = getattr(agg, self.id_field)
        if self._current(entity_id) is not None:
            raise errors.Conflict(f"{self.label} exists already {unique_hint}".strip(), unique_hint or self.id_field)
        self._stage(entity_id, agg)

    async def save(self, agg) -> None:
        entity_id = getattr(agg, self.id_field)
        current = self._current(entity_id)
        if current is None or current.version != self.uow.loaded.get((id(self), entity_id)):
            raise errors.Conflict(f"{self.label} {entity_id} was changed concurrently; retry", "version")
        self._stage(entity_id, agg)

    def _stage(self, entity_id: str, agg) -> None:
        if not self.uow.entered:
            raise AssertionError(f"{self.label} written outside a unit of work (a query handler must not write)")
        staged = copy.deepcopy(agg)
        staged.events = []
        self.uow.staged[(id(self), entity_id)] = staged
        self.uow.loaded[(id(self), entity_id)] = agg.version
        self.uow.track(agg)


class FakeUnitOfWork:
    """Stores are attributes (`uow.cases`); `events` lists what commits wrote to the outbox."""

    def __init__(self, **stores):
        self.stores = stores
        for name, store in stores.items():
            setattr(self, name, store)
            store.uow = self
        self.entered = False
        self.committed = self.rolled_back = 0
        self.events: list = []
        self.staged: dict = {}
        self.loaded: dict = {}
        self._tracked: list = []

    async def __aenter__(self) -> "FakeUnitOfWork":
        self.entered, self.staged, self._tracked = True, {}, []
        return self

    def track(self, agg):
        if all(agg is not t for t in self._tracked):
            self._tracked.append(agg)
        return agg

    async def commit(self) -> None:
        for (repo_id, entity_id), agg in self.staged.items():
            repo = next(s for s in self.stores.values() if id(s) == repo_id)
            repo.items[entity_id] = agg
        self.events += [ev for agg in self._tracked for ev in agg.events]
        for agg in self._tracked:
            agg.events.clear()
        self.staged, self.committed = {}, self.committed + 1

    async def __aexit__(self, exc_type, exc, tb) -> None:
        if self.staged:
            self.rolled_back += 1
        self.entered, self.staged, self._tracked = False, {}, []

    def event_names(self) -> list[str]:
        return [type(e).__name__ for e in self.events]


class FakeViews:
    def __init__(self, **answers):
        self.calls: list[tuple[str, tuple, dict]] = []
        self.uow = None
        for name, answer in answers.items():
            setattr(self, name, self._method(name, answer))

    def _method(self, name, answer):
        async def method(*args, **kwargs):
            self.calls.append((name, args, kwargs))
            return answer(*args, **kwargs) if callable(answer) else copy.deepcopy(answer)
        return method


class FakeRegistry:
    """The registry client: `achievements` by id (plain dicts as the gRPC client returns)."""

    def __init__(self, *achievements: dict, unavailable: bool = False):
        self.achievements = {a["achievement_id"]: a for a in achievements}
        self.unavailable = unavailable
        self.calls: list[str] = []

    async def get_achievement(self, achievement_id: str, field: str = "achievement_id") -> dict:
        self.calls.append(achievement_id)
        if self.unavailable:
            raise errors.Unavailable(f"the registry cannot confirm achievement {achievement_id} now", field)
        if achievement_id not in self.achievements:
            raise errors.NotFound(f"achievement {achievement_id} does not exist in the registry", field)
        return copy.deepcopy(self.achievements[achievement_id])

    async def registered(self, achievement_id: str, field: str = "achievement_id") -> dict:
        found = await self.get_achievement(achievement_id, field)
        if found.get("status") != "REGISTERED":
            raise errors.InvalidInput(f"achievement {achievement_id} is {found.get('status')}, not registered", field)
        return found

    async def close(self) -> None:
        pass
