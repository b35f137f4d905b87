"""A generic MongoDB repository for dataclass aggregates: documents are the aggregate's
fields, rebuilt with pydantic's TypeAdapter; saves are guarded by the version the
aggregate had when loaded (optimistic concurrency)."""

from functools import cache

from pydantic import TypeAdapter
from pymongo.errors import DuplicateKeyError

from services.common import errors, keyset
from services.common.plain import to_plain


@cache
def adapter_of(cls: type) -> TypeAdapter:
    """One TypeAdapter per aggregate class (building one costs tens of milliseconds, and every
    unit of work builds its stores afresh)."""
    return TypeAdapter(cls)


def with_stores(make_uow, **stores):
    """A unit-of-work factory whose units carry the service's stores by name: each store is
    `(uow) -> repository or view`, built fresh for every unit (so every retry starts clean).
    Handlers then read `uow.cases.get(...)`, `uow.views.case_page(...)`."""
    def make():
        uow = make_uow()
        for name, store in stores.items():
            setattr(uow, name, store(uow))
        return uow
    return make


class Repository[A]:
    def __init__(self, uow, collection: str, cls: type[A], id_field: str, label: str):
        self.uow, self.cls, self.id_field, self.label = uow, cls, id_field, label
        self.collection = uow.db[collection]
        self.adapter = adapter_of(cls)
        self._loaded: dict[str, int] = {}

    @classmethod
    def store(cls, collection: str, aggregate: type, id_field: str, label: str):
        """The store of `with_stores`: `(uow) -> this repository` of `aggregate` in `collection`."""
        return lambda uow: cls(uow, collection, aggregate, id_field, label)

    def _from_doc(self, doc: dict) -> A:
        doc.pop("_id", None)
        aggregate = self.adapter.validate_python(doc)
        self._loaded[getattr(aggregate, self.id_field)] = aggregate.version
        return self.uow.track(aggregate)

    async def get(self, entity_id: str) -> A:
        doc = await self.collection.find_one({"_id": entity_id}, session=self.uow.session)
        if doc is None:
            raise errors.NotFound(f"{self.label} {entity_id} does not exist", self.id_field)
        return self._from_doc(doc)

    async def find(self, query: dict, sort=None, limit: int = 0) -> list[A]:
        cursor = self.collection.find(query, session=self.uow.session, sort=sort, limit=limit)
        return [self._from_doc(doc) async for doc in cursor]

    async def page(self, query: dict, sort_field: str, page_size: int, cursor: str) -> tuple[list[A], str]:
        """One keyset page of `query` oldest first by `sort_field` (services.common.keyset)."""
        docs, next_cursor = await keyset.page(self.collection, query, sort_field, page_size, cursor,
                                              self.uow.session)
        return [self._from_doc(doc) for doc in docs], next_cursor

    async def add(self, aggregate: A, unique_hint: str = "") -> None:
        entity_id = getattr(aggregate, self.id_field)
        try:   # an upsert that only inserts: mongoeco's own insert_one reads its whole collection
            added = await self.collection.update_one({"_id": entity_id}, {"$setOnInsert": to_plain(aggregate, True)},
                                                     upsert=True, session=self.uow.session)
        except DuplicateKeyError:
            added = None
        if added is None or added.upserted_id is None:
            raise errors.Conflict(f"{self.label} exists already {unique_hint}".strip(),
                                  unique_hint or self.id_field) from None
        self._loaded[entity_id] = aggregate.version
        self.uow.track(aggregate)

    async def save(self, aggregate: A) -> None:
        entity_id = getattr(aggregate, self.id_field)
        expected = self._loaded.get(entity_id)
        result = await self.collection.replace_one(
            {"_id": entity_id, "version": expected}, {"_id": entity_id, **to_plain(aggregate, True)},
            session=self.uow.session)
        if result.matched_count != 1:
            raise errors.Conflict(f"{self.label} {entity_id} was changed concurrently; retry", "version")
        self._loaded[entity_id] = aggregate.version
