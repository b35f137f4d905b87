"""The posting-list layout (pure): blocks keep the ranking's order through puts, removals and
splits, and the filter matcher agrees with the filter query's meaning."""

from hypothesis import given
from hypothesis import strategies as st

from services.registry.adapters import posting_blocks as blocks

KEYS = st.tuples(st.sampled_from([1.0, 2.0, 3.0, 5.0]), st.sampled_from([3, 5, 9]),
                 st.sampled_from([f"a{i}" for i in range(12)]))


@given(st.lists(st.tuples(st.booleans(), KEYS), max_size=60))
def test_blocks_hold_each_key_once_in_ranking_order_through_puts_removals_and_splits(steps):
    size, blocks.BLOCK = blocks.BLOCK, 2   # blocks of 2 to 4 postings: many splits
    try:
        _apply(steps)
    finally:
        blocks.BLOCK = size


def _apply(steps) -> None:
    heads, chunks, expected = [], [], set()
    for put, (w, trl, aid) in steps:
        k = blocks.key(w, trl, aid)
        if not chunks:
            heads, chunks = [k], [[]]
        i = blocks.locate(heads, k)
        if put:
            blocks.put(chunks[i], k)
            expected.add(tuple(k))
            right = blocks.split(chunks[i])
            if right:
                chunks.insert(i + 1, right)
                heads.insert(i + 1, right[0][:3])
        else:
            assert blocks.remove(chunks[i], k) == (tuple(k) in expected)
            expected.discard(tuple(k))
    flat = [tuple(e[:3]) for chunk in chunks for e in chunk]
    assert flat == sorted(expected)
    assert all(len(c) <= 4 for c in chunks) and len(chunks) >= len(expected) // 4


def test_a_posting_matches_the_filters_the_search_builds():
    attrs = {"status": "REGISTERED", "field": "5g", "trl": 5, "transfer_modes": ["licence", "sale"],
             "organisation": "org-a"}
    assert blocks.matches(attrs, {"status": {"$in": ["IN_NOTICE", "REGISTERED"]}, "transfer_modes": "sale",
                                  "trl": {"$gte": 5, "$lte": 9}, "organisation": "org-a", "field": "5g"})
    assert not blocks.matches(attrs, {"trl": {"$gte": 6}})
    assert not blocks.matches(attrs, {"transfer_modes": "auction"})
    assert not blocks.matches(attrs, {"status": "IN_NOTICE"})
    assert not blocks.matches(attrs, {"region": "HEBEI"})


def test_a_block_splits_in_two_halves_of_block_postings():
    entries = [[-1.0, -5, f"a{i:03d}"] for i in range(2 * blocks.BLOCK + 1)]
    right = blocks.split(entries)
    assert len(entries) == blocks.BLOCK and len(right) == blocks.BLOCK + 1
    assert right[0][2] == f"a{blocks.BLOCK:03d}"
    assert blocks.split(entries) is None
    assert blocks.decode(blocks.encode(right)) == right
