"""The embedded server's answers about a collection's shape, kept across writes that cannot change
them (a repair of mongoeco 4.11's SQLite engine, through its private API).

Before it plans a query or checks a unique index, mongoeco asks of each field involved whether any
document of the collection holds an array along its path, a decimal, a real number or a DBRef
there: each question is a scan of the whole collection in SQLite (`SELECT 1 … json_type(document,
path) … LIMIT 1`, which finds nothing and so reads everything). It caches the answers per
collection, but drops them on every write to the collection, so on a collection being written
every query asked them again: at 10,000 achievements, 68 % of the registry's duplicate-title query
was these scans and 7 % the query itself; an upsert of a new `_id` also scanned the collection
when the primary key did not hold it, and an insert_one read and decoded every document
(docs/performance.md).

A "no" can only become a "yes" through a document written with such a value at, above or below
that path, and every write of a document passes the engine's unique-index validation with the
document as it will be stored. So the validation records each such path per collection, and a
write keeps the collection's "no" answers for every field no recorded path touches. A "yes", a
rename or a rolled-back transaction drops them as mongoeco does."""

import datetime

import mongoeco.engines
from bson import ObjectId
from mongoeco.core.query_plan import EqualsCondition

# Values whose stored JSON holds no array, real number, decimal, bytes or DBRef (at, under or above them).
_PLAIN = (str, int, type(None), ObjectId, datetime.datetime)
# The cached questions (mongoeco.engines.sqlite, `feature_key`) such a value cannot turn to "yes".
# A False "uniform scalar sort type" only sends a sort down mongoeco's general path: kept the same way.
_QUESTIONS = ("top_level_array:", "traverses_array:", "traverses_dbref:", "contains_real_numeric:",
              "tagged_type:", "uniform_scalar_sort_type:")
# Of the tagged-type questions, those about types no plain value has (a sort asks bytes and undefined).
_TAGGED = (":decimal", ":decimal128", ":decimal128_public", ":bytes", ":undefined")
MAX_PATHS = 1_000   # per collection; beyond it the collection gets mongoeco's own behaviour


def irregular_paths(document: dict, prefix: str = "") -> set[str]:
    """The dotted paths of `document` whose value is not a plain scalar or a subdocument of them."""
    found: set[str] = set()
    for key, value in document.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            found |= irregular_paths(value, f"{path}.")
        elif not isinstance(value, _PLAIN):
            found.add(path)
    return found


def field_of(question: str) -> str | None:
    """The field a kept kind of question is about; None for the kinds a plain value can change."""
    for kind in _QUESTIONS:
        if question.startswith(kind):
            field = question.removeprefix(kind)
            if kind != "tagged_type:":
                return field
            for tagged in _TAGGED:
                if field.endswith(tagged):
                    return field.removesuffix(tagged)
    return None


def touches(path: str, field: str) -> bool:
    return path == field or field.startswith(f"{path}.") or path.startswith(f"{field}.")


class KeptAnswersEngine(mongoeco.engines.SQLiteEngine):
    keeps = True   # until a rename

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.irregular: dict[tuple[str, str], set[str] | None] = {}   # None: beyond MAX_PATHS

    def _validate_document_against_unique_indexes(self, db_name, coll_name, document, **kwargs):
        """Also: a string or ObjectId `_id` is unique by its primary key alone; mongoeco reads every
        document of the collection to compare numeric aliases (`1` and `1.0`) for every insert."""
        if isinstance(document.get("_id"), (str, ObjectId)):
            kwargs["scan_payload_id"] = False
        paths = irregular_paths(document)
        known = self.irregular.setdefault((db_name, coll_name), set())
        if paths and known is not None and not paths <= known:
            known |= paths
            if len(known) > MAX_PATHS:
                self.irregular[(db_name, coll_name)] = None
        return super()._validate_document_against_unique_indexes(db_name, coll_name, document, **kwargs)

    def _rename_collection_sync(self, *args, **kwargs):
        self.keeps = False   # the new name may hold answers cached while it was empty
        return super()._rename_collection_sync(*args, **kwargs)

    def _invalidate_collection_features_cache(self, db_name=None, coll_name=None) -> None:
        cache, known = self._collection_features_cache, self.irregular.get((db_name, coll_name), set())
        kept = {}
        if self.keeps and db_name is not None and coll_name is not None and known is not None:
            for key, answer in list(cache.items()):
                if answer is False and key[:2] == (db_name, coll_name):
                    field = field_of(key[2])
                    if field is not None and not any(touches(path, field) for path in known):
                        kept[key] = False
        super()._invalidate_collection_features_cache(db_name, coll_name)
        cache.update(kept)

    def _select_first_document_for_plan(self, db_name, coll_name, plan, *, hint=None, context=None):
        """A string or ObjectId `_id` absent from the primary key matches nothing unless some `_id`
        is an array; mongoeco scans the collection to find that out on every miss."""
        if (hint is None and isinstance(plan, EqualsCondition) and plan.field == "_id"
                and isinstance(plan.value, (str, ObjectId))
                and not self._field_is_top_level_array_in_collection(db_name, coll_name, "_id")):
            row = self._require_connection(context).execute(
                "SELECT 1 FROM documents WHERE db_name = ? AND coll_name = ? AND storage_key = ?",
                (db_name, coll_name, self._storage_key(plan.value))).fetchone()
            if row is None:
                return None
        return super()._select_first_document_for_plan(db_name, coll_name, plan, hint=hint, context=context)
