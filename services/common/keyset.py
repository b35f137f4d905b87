"""Keyset (seek) pagination for queues sorted by one field, oldest first, with `_id` breaking
ties: each page is one index range read of `limit + 1` documents, so no read grows with the
data set. The cursor is the last item's (sort value, id), opaque to clients."""

import base64
import json
from datetime import datetime

from services.common.errors import InvalidInput


def encode(value, entity_id: str) -> str:
    plain = {"t": value.isoformat()} if isinstance(value, datetime) else {"v": value}
    return base64.urlsafe_b64encode(json.dumps([plain, entity_id]).encode()).decode()


def decode(cursor: str) -> tuple:
    try:
        plain, entity_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        value = datetime.fromisoformat(plain["t"]) if "t" in plain else plain["v"]
        if not isinstance(entity_id, str):
            raise ValueError(entity_id)
        return value, entity_id
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        raise InvalidInput("cursor is not one this API returned", "cursor") from None


def after(query: dict, sort_field: str, cursor: str) -> dict:
    """`query` restricted to the items after the cursor's (value, id) in (sort_field, _id) order."""
    if not cursor:
        return query
    value, entity_id = decode(cursor)
    return {"$and": [query, {"$or": [{sort_field: {"$gt": value}},
                                     {sort_field: value, "_id": {"$gt": entity_id}}]}]}


async def page(collection, query: dict, sort_field: str, limit: int, cursor: str, session=None
               ) -> tuple[list[dict], str]:
    """Up to `limit` documents of `query` after `cursor`, by (sort_field, _id); the next cursor
    ("" on the last page)."""
    docs = await collection.find(after(query, sort_field, cursor), session=session,
                                 sort=[(sort_field, 1), ("_id", 1)], limit=limit + 1).to_list()
    if len(docs) <= limit:
        return docs, ""
    last = docs[limit - 1]
    return docs[:limit], encode(last.get(sort_field), last["_id"])
