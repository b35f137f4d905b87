"""Cursor pagination over a collection, in `_id` order (cursor: the last id, opaque)."""

import base64

from services.common.errors import InvalidInput, require


def size(page_size: int) -> int:
    require(0 <= page_size <= 200, "page_size must be between 1 and 200", "page_size")
    return page_size or 20


def decode(cursor: str) -> str:
    if not cursor:
        return ""
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("cursor is not one this API returned", "cursor") from None


async def page(collection, query: dict, page_size: int, cursor: str) -> tuple[list[dict], str]:
    limit = size(page_size)
    after = decode(cursor)
    if after:
        query = {"$and": [query, {"_id": {"$gt": after}}]}
    docs = await collection.find(query).sort("_id", 1).limit(limit + 1).to_list()
    more = len(docs) > limit
    docs = docs[:limit]
    next_cursor = base64.urlsafe_b64encode(docs[-1]["_id"].encode()).decode() if more else ""
    for d in docs:
        d.pop("_id", None)
    return docs, next_cursor
