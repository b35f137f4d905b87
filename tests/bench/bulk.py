"""Seeding the embedded store in bulk: the documents the platform writes, serialised by mongoeco's
own SQLite engine and written into its file while no server runs on it, in one transaction. Through
the wire every insert checks the whole collection (docs/performance.md): `insert_many` of 2,000
documents took 78 s on a store of 1,500, so 100,000 achievements could not be seeded that way."""

import sqlite3
from collections.abc import Iterable
from contextlib import asynccontextmanager

from mongoeco.engines import SQLiteEngine

from services import devinfra
from services.common import mongo


def write(path: str, db_name: str, collection: str, docs: Iterable[dict], replace: bool = False) -> int:
    """Insert (or replace) documents by `_id`; `replace` first empties the collection. The collection
    must exist (its indexes created through the server). SQLite keeps the compound indexes (SQL
    expression indexes) itself; mongoeco's own entries for single-field and multikey indexes
    (`scalar_index_entries`, `multikey_entries`) are not written: seed only collections without
    such indexes (achievements and search blocks have none), or their fast paths miss the seeds."""
    engine = SQLiteEngine(path)
    rows = [(db_name, collection, engine._storage_key(d["_id"]), engine._serialize_document(d)) for d in docs]
    with sqlite3.connect(path) as conn:
        if replace:
            conn.execute("DELETE FROM documents WHERE db_name = ? AND coll_name = ?", (db_name, collection))
        conn.executemany("INSERT OR REPLACE INTO documents (db_name, coll_name, storage_key, document) "
                         "VALUES (?, ?, ?, ?)", rows)
    return len(rows)


@asynccontextmanager
async def served(path: str):
    """A Mongo-wire server (SQLite engine) on the file for the block; a client connected to it."""
    port = devinfra.free_port()
    proc = devinfra.start_mongo(port, path)
    client = mongo.connect(f"mongodb://127.0.0.1:{port}/?directConnection=true", serialize_writes=False)
    try:
        yield client
    finally:
        await client.close()
        devinfra.stop(proc)
