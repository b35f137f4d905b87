"""Keyset pages on the real Mongo-wire server: walking a queue page by page, of every size,
yields exactly the sorted items once each — ties of the sort value included, and with a range
on the sort field itself (a queue's `due_before`)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from services.common import keyset, mongo

T0 = datetime(2026, 3, 1, tzinfo=UTC)
# (id, minutes after T0): ties at +1 (three) and +5 (two); one other organisation's item
DOCS = [("e", 5), ("a", 1), ("c", 1), ("b", 1), ("g", 9), ("d", 3), ("f", 5), ("x", 2)]


@pytest.fixture
async def collection(mongo_settings):
    client = mongo.connect(mongo_settings.uri)
    col = client[f"keyset_{uuid.uuid4().hex[:6]}"]["items"]
    for entity_id, minutes in DOCS:
        await col.insert_one({"_id": entity_id, "org": "other" if entity_id == "x" else "mine",
                              "due": T0 + timedelta(minutes=minutes)})
    yield col
    await col.database.drop_collection("items")
    await client.close()


async def walk(col, query: dict, size: int) -> list[list[str]]:
    pages, cursor = [], ""
    while True:
        docs, cursor = await keyset.page(col, query, "due", size, cursor)
        pages.append([d["_id"] for d in docs])
        if not cursor:
            return pages


@pytest.mark.parametrize("size", [1, 2, 3, 4, 7, 200])
async def test_every_page_size_walks_the_sorted_items_once(collection, size):
    pages = await walk(collection, {"org": "mine"}, size)
    assert [i for p in pages for i in p] == ["a", "b", "c", "d", "e", "f", "g"]
    assert all(len(p) == size for p in pages[:-1]) and 0 < len(pages[-1]) <= size


async def test_a_range_on_the_sort_field_is_kept_across_pages(collection):
    query = {"org": "mine", "due": {"$lt": T0 + timedelta(minutes=5)}}
    assert await walk(collection, query, 2) == [["a", "b"], ["c", "d"]]
