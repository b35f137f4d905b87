"""Keyset (seek) pagination for queues sorted by one field, oldest first, with `_id` breaking
ties: each page is one index range read of `limit + 1` documents, so no read grows with the
data set. The cursor is the last item's (sort value, id), opaque to clients."""

import base64
import json
from datetime import datetime

from services.common.errors import InvalidInput


def encode(value, entity_id: str, ties: bool = True) -> str:
    """`ties`: the next item may share `value` (False when the page saw it does not)."""
    plain = {"t": value.isoformat()} if isinstance(value, datetime) else {"v": value}
    return base64.urlsafe_b64encode(json.dumps([plain, entity_id, ties]).encode()).decode()


def decode(cursor: str) -> tuple:
    """(value, id, ties) of a cursor `encode` made."""
    try:
        plain, entity_id, ties = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        value = datetime.fromisoformat(plain["t"]) if "t" in plain else plain["v"]
        if not (isinstance(entity_id, str) and isinstance(ties, bool)):
            raise ValueError(entity_id)
        return value, entity_id, ties
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise InvalidInput("cursor is not one this API returned", "cursor") from None


def _ops(condition) -> dict:
    is_ops = isinstance(condition, dict) and condition and all(k.startswith("$") for k in condition)
    return dict(condition) if is_ops else {"$eq": condition}


def narrowed(query: dict, extra: dict) -> dict:
    """`query` and `extra` as one flat filter (conditions on the same field merged): flat filters
    are what an index range serves, on MongoDB and on the embedded server alike."""
    merged = dict(query)
    for field, condition in extra.items():
        if field not in merged:
            merged[field] = condition
            continue
        mine, theirs = _ops(merged[field]), _ops(condition)
        if set(mine) & set(theirs):
            return {"$and": [query, extra]}
        merged[field] = mine | theirs
    return merged


def after(query: dict, sort_field: str, cursor: str) -> list[dict]:
    """The filters of the items after the cursor's (value, id) in (sort_field, _id) order: the
    ties of its value with a greater id (unless the page saw none follow), then the greater
    values (one flat filter each)."""
    if not cursor:
        return [query]
    value, entity_id, ties = decode(cursor)
    later = narrowed(query, {sort_field: {"$gt": value}})
    return [narrowed(query, {sort_field: value, "_id": {"$gt": entity_id}}), later] if ties else [later]


async def page(collection, query: dict, sort_field: str, limit: int, cursor: str, session=None
               ) -> tuple[list[dict], str]:
    """Up to `limit` documents of `query` after `cursor`, by (sort_field, _id); the next cursor
    ("" on the last page)."""
    docs: list[dict] = []
    for part in after(query, sort_field, cursor):
        docs += await collection.find(part, session=session, sort=[(sort_field, 1), ("_id", 1)],
                                      limit=limit + 1 - len(docs)).to_list()
        if len(docs) > limit:
            break
    if len(docs) <= limit:
        return docs, ""
    last, following = docs[limit - 1], docs[limit]
    return docs[:limit], encode(last.get(sort_field), last["_id"], following.get(sort_field) == last.get(sort_field))


def one_of(values) -> object:
    """A filter for a field equal to one of `values`: plain equality when there is one (an
    index serves equality best, on the embedded server most of all)."""
    values = [str(v) for v in values]
    return values[0] if len(values) == 1 else {"$in": values}
