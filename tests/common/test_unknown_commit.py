"""A commit that applied but reported an error (MongoDB's UnknownTransactionCommitResult; the
embedded server has answered "Write conflict" for a commit it had applied) is recognised by
the unit's own outbox record, so the retried unit of work does not run twice."""

import uuid

from pymongo.errors import OperationFailure

from services.common import mongo
from services.common.clock import ManualClock
from services.common.outbox import Outbox


async def test_an_applied_commit_that_reported_an_error_counts_as_committed(mongo_settings, monkeypatch):
    client = mongo.connect(mongo_settings.uri)
    db = client[f"unknown_commit_{uuid.uuid4().hex[:6]}"]
    outbox = Outbox(db, "/bth/test", ManualClock())
    uow = mongo.UnitOfWork(client, db.name, outbox, "bth.registry.v1")

    async def add(events, package, session):   # one outbox record, as a real event would write
        await outbox.collection.insert_one({"event_id": "ev-1", "state": "pending"}, session=session)
        return ["ev-1"]
    monkeypatch.setattr(outbox, "add", add)
    real_commit = None

    async def commit_then_fail(self):
        await real_commit(self)                 # applied ...
        raise OperationFailure("Write conflict during transaction commit")   # ... but reported a failure
    try:
        async with uow:
            await db["things"].insert_one({"_id": "t1"}, session=uow.session)
            real_commit = type(uow.session).commit_transaction
            monkeypatch.setattr(type(uow.session), "commit_transaction", commit_then_fail)
            await uow.commit()                  # no exception: the record proves the commit
        monkeypatch.undo()
        assert await db["things"].count_documents({}) == 1
        assert await outbox.collection.count_documents({"event_id": "ev-1"}) == 1
    finally:
        monkeypatch.undo()
        await client.drop_database(db.name)
        await client.close()


async def test_a_commit_that_did_not_apply_still_raises(mongo_settings, monkeypatch):
    client = mongo.connect(mongo_settings.uri)
    db = client[f"unknown_commit_{uuid.uuid4().hex[:6]}"]
    outbox = Outbox(db, "/bth/test", ManualClock())
    uow = mongo.UnitOfWork(client, db.name, outbox, "bth.registry.v1")

    async def add(events, package, session):
        await outbox.collection.insert_one({"event_id": "ev-2", "state": "pending"}, session=session)
        return ["ev-2"]
    monkeypatch.setattr(outbox, "add", add)

    async def fail(self):
        raise OperationFailure("Write conflict during transaction commit")
    raised = None
    try:
        async with uow:
            await db["things"].insert_one({"_id": "t2"}, session=uow.session)
            monkeypatch.setattr(type(uow.session), "commit_transaction", fail)
            try:
                await uow.commit()
            except OperationFailure as exc:
                raised = exc
            monkeypatch.undo()
        assert raised is not None and "Write conflict" in str(raised)
        assert await db["things"].count_documents({}) == 0
    finally:
        monkeypatch.undo()
        await client.drop_database(db.name)
        await client.close()
