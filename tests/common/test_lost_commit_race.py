"""A unit of work whose commit lost a race to another client's commit is retried on the
stored state: the embedded server kept the failed transaction open under its session id,
which PyMongo hands to the next unit, so the retry read the failed unit's writes (in a
deployed run: an approval answered 409 "cannot approve an achievement that is IN_NOTICE").
On a Mongo server of the module's own (`own_mongo`): no other test's commit adds a conflict,
so the attempts are exact."""

import uuid

from services.common import mongo
from services.common.clock import ManualClock
from services.common.outbox import Outbox


async def test_a_unit_that_lost_a_commit_race_is_retried_on_the_stored_state(own_mongo):
    client, other = mongo.connect(own_mongo), mongo.connect(own_mongo)   # two processes' clients
    db = client[f"lost_race_{uuid.uuid4().hex[:6]}"]
    await db["things"].insert_one({"_id": "t", "status": "SUBMITTED"})
    outbox, seen = Outbox(db, "/bth/test", ManualClock()), []

    async def approve():
        async with mongo.UnitOfWork(client, db.name, outbox, "bth.registry.v1") as uow:
            seen.append((await db["things"].find_one({"_id": "t"}, session=uow.session))["status"])
            await db["things"].update_one({"_id": "t"}, {"$set": {"status": "IN_NOTICE"}}, session=uow.session)
            if len(seen) == 1:   # another client commits meanwhile: this unit's commit loses the race
                async with other.start_session() as session:
                    await session.start_transaction()
                    await other[db.name]["others"].insert_one({"_id": "o"}, session=session)
                    await session.commit_transaction()
            await uow.commit()
    try:
        await mongo.with_retry(approve)
        assert seen == ["SUBMITTED", "SUBMITTED"]
        assert await db["things"].find_one({"_id": "t"}) == {"_id": "t", "status": "IN_NOTICE"}
        assert await other[db.name]["things"].find_one({"_id": "t"}) == {"_id": "t", "status": "IN_NOTICE"}
    finally:
        await client.close()
        await other.close()
