"""Each term's posting list in `search_blocks` (the layout: posting_blocks.py): one posting
changed inside the caller's unit of work, and the blocks read in order outside any transaction.
A list of up to 2·BLOCK postings (most terms) lives in its directory document itself, so a change
costs one read and one write; a longer one is split into blocks the directory lists."""

from services.registry.adapters import posting_blocks as blocks

COLLECTION = "search_blocks"


_directory_id, _block_id = blocks.directory_id, blocks.block_id


class PostingLists:
    def __init__(self, uow):
        self.uow, self.blocks = uow, uow.db[COLLECTION]

    @property
    def session(self):   # the unit of work's transaction, once it has begun
        return self.uow.session

    async def change(self, term: str, old: list | None, new: list | None) -> None:
        """Remove posting `old` and put posting `new` (either may be None) in the term's list."""
        stored = await self.blocks.find_one({"_id": _directory_id(term)}, {"_id": 0}, session=self.session)
        if stored is None or "p" in stored:
            entries = blocks.decode(stored["p"]) if stored else []
            _apply(entries, old, new)
            return await self._store_inline(term, entries, stored is not None)
        directory = {**stored, "heads": blocks.decode(stored["heads"])}
        heads, numbers, layout = directory["heads"], directory["numbers"], (len(stored["numbers"]), stored["next"])
        loaded: dict[int, list] = {}
        for k in (old, new):
            if k:
                i = blocks.locate(heads, k)
                if i not in loaded:
                    doc = await self.blocks.find_one({"_id": _block_id(term, numbers[i])}, session=self.session)
                    loaded[i] = blocks.decode(doc["p"]) if doc else []
                _apply(loaded[i], old if k is old else None, new if k is new else None)
        for i in sorted(loaded, reverse=True):   # later blocks first: a split or a removal shifts them
            await self._store_block(term, directory, i, loaded[i])
        if not numbers:
            await self.blocks.delete_one({"_id": _directory_id(term)}, session=self.session)
        elif (len(numbers), directory["next"]) != layout:   # a layout change always takes a new number
            await self._set(_directory_id(term), {**directory, "heads": blocks.encode(heads)})

    async def _store_inline(self, term: str, entries: list, stored: bool) -> None:
        right = blocks.split(entries)
        if right is None and entries:
            return await self._set(_directory_id(term), {"p": blocks.encode(entries)})
        if right is None:
            if stored:
                await self.blocks.delete_one({"_id": _directory_id(term)}, session=self.session)
            return
        await self._set(_block_id(term, 0), {"p": blocks.encode(entries)})
        await self._set(_block_id(term, 1), {"p": blocks.encode(right)})
        await self.blocks.update_one({"_id": _directory_id(term)}, {
            "$set": {"heads": blocks.encode([entries[0][:3], right[0][:3]]), "numbers": [0, 1], "next": 2},
            "$unset": {"p": ""}}, upsert=True, session=self.session)

    async def _store_block(self, term: str, directory: dict, i: int, entries: list) -> None:
        """Write block i back; an overfull one becomes two new blocks (a block's key range never moves
        to another block under its number, so a reader holding an old directory notices: `Reader`)."""
        heads, numbers = directory["heads"], directory["numbers"]
        right = blocks.split(entries)
        if entries and right is None:
            return await self._set(_block_id(term, numbers[i]), {"p": blocks.encode(entries)})
        await self.blocks.delete_one({"_id": _block_id(term, numbers[i])}, session=self.session)
        del heads[i], numbers[i]
        for part in (right, entries) if right else ():
            directory["next"] += 1
            heads.insert(i, part[0][:3])
            numbers.insert(i, directory["next"] - 1)
            await self._set(_block_id(term, numbers[i]), {"p": blocks.encode(part)})

    async def load(self, term: str, postings: list[list]) -> None:
        """Write a whole list at once (a term with no list yet), postings in any order; for bulk seeding."""
        for doc in blocks.layout(term, postings):
            await self._set(doc.pop("_id"), doc)

    async def _set(self, _id: str, fields: dict) -> None:
        await self.blocks.update_one({"_id": _id}, {"$set": fields}, upsert=True, session=self.session)

    async def blocks_after(self, term: str, position: list | None) -> list:
        """The term's blocks that may hold keys after `position` (all when None), in order: block
        ids, or the postings themselves of a list kept in its directory."""
        d = await self.blocks.find_one({"_id": _directory_id(term)})
        if d is None:
            return []
        if "p" in d:
            return [_after(blocks.decode(d["p"]), position)]
        first = 0 if position is None else blocks.locate(blocks.decode(d["heads"]), position)
        return [_block_id(term, number) for number in d["numbers"][first:]]


class Reader:
    """One term's postings in the ranking's order, `take(n)` at a time, outside any transaction.
    A block split or emptied since the directory was read is gone: the directory is read again
    from the last posting read."""

    def __init__(self, lists: PostingLists, term: str):
        self.lists, self.term = lists, term
        self.pending: list | None = None   # blocks not read yet (None: the directory not read yet)
        self.buffer: list = []
        self.read_to: list | None = None

    @property
    def exhausted(self) -> bool:
        return not self.buffer and self.pending == []

    async def take(self, n: int) -> list:
        if self.pending is None:
            self.pending = await self.lists.blocks_after(self.term, None)
        while len(self.buffer) < n and self.pending:
            item = self.pending.pop(0)
            if not isinstance(item, list):
                doc = await self.lists.blocks.find_one({"_id": item})
                if doc is None:
                    self.pending = await self.lists.blocks_after(self.term, self.read_to)
                    continue
                item = _after(blocks.decode(doc["p"]), self.read_to)
            if item:
                self.buffer += item
                self.read_to = item[-1][:3]
        taken, self.buffer = self.buffer[:n], self.buffer[n:]
        return taken


def _apply(entries: list, old: list | None, new: list | None) -> None:
    if old:
        blocks.remove(entries, old)
    if new:
        blocks.put(entries, new)


def _after(entries: list, position: list | None) -> list:
    return entries if position is None else [p for p in entries if p[:3] > position]
