"""The layout of a term's posting list (pure): its postings sorted like the ranking (weight, then
TRL, then id: the key `[-weight, -trl, id]`), cut into blocks of at most 2·BLOCK postings, each
block one document read by its `_id`. A directory per term lists its blocks in order with each
one's head key; block i holds the keys from its head up to the next block's head (the first block
also everything before). Reads and writes by `_id` are the only ones the embedded store serves
without scanning the collection (docs/performance.md), and the cheapest on MongoDB too. A block's
postings (and a directory's heads) are stored as one JSON text: the embedded store writes a
100-posting block in about 3 ms as text and 40 ms as nested arrays (it walks every value)."""

import json
from bisect import bisect_left, bisect_right, insort

BLOCK = 64   # a full block splits in two of BLOCK postings; a read returns one block


def encode(rows: list) -> str:
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def decode(text: str) -> list:
    return json.loads(text)


def key(weight: float, trl: int, aid: str) -> list:
    """A posting: its own sort key."""
    return [-weight, -int(trl), aid]


def _key(entry: list) -> list:
    return entry[:3]   # a list written by an earlier build has a fourth item per posting: ignored


def locate(heads: list[list], k: list) -> int:
    """The block that holds (or would hold) key k."""
    return max(0, bisect_right(heads, k) - 1)


def remove(entries: list[list], k: list) -> bool:
    i = bisect_left(entries, k, key=_key)
    if i < len(entries) and _key(entries[i]) == k:
        del entries[i]
        return True
    return False


def put(entries: list[list], k: list) -> None:
    """Insert the posting (once: a rebuild may put it twice)."""
    remove(entries, k)
    insort(entries, list(k), key=_key)


def directory_id(term: str) -> str:
    return f"d\x1f{term}"


def block_id(term: str, number: int) -> str:
    return f"b\x1f{term}\x1f{number}"


def layout(term: str, postings: list[list]) -> list[dict]:
    """The documents of a whole list (postings in any order), laid out as one posting at a time
    would have left them: in the directory up to 2·BLOCK, else blocks of BLOCK and the directory."""
    entries = sorted(postings)
    if len(entries) <= 2 * BLOCK:
        return [{"_id": directory_id(term), "p": encode(entries)}]
    parts = [entries[i:i + BLOCK] for i in range(0, len(entries), BLOCK)]
    return [*({"_id": block_id(term, n), "p": encode(part)} for n, part in enumerate(parts)),
            {"_id": directory_id(term), "heads": encode([part[0][:3] for part in parts]),
             "numbers": list(range(len(parts))), "next": len(parts)}]


def split(entries: list[list]) -> list[list] | None:
    """The second half of an overfull block (cut off `entries`), or None."""
    if len(entries) <= 2 * BLOCK:
        return None
    right = entries[BLOCK:]
    del entries[BLOCK:]
    return right


def matches(doc: dict, filters: dict) -> bool:
    """The search's filter query (services/registry/service_layer/search.py) on a stored achievement."""
    for name, condition in filters.items():
        value = doc.get(name)
        if isinstance(condition, dict):
            for op, operand in condition.items():
                if not _OPS[op](value, operand):
                    return False
        elif not (condition in value if isinstance(value, list) else value == condition):
            return False
    return True


_OPS = {"$in": lambda v, xs: v in xs, "$gte": lambda v, x: v is not None and v >= x,
        "$lte": lambda v, x: v is not None and v <= x}
