"""The feed stores a batch of events in their order, once each (by event id, within the
batch and across batches), with three round trips to the store whatever the batch size:
the delivery process keeps up with a burst of writes (the fault suite's 450 writes in 70 s).
The webhook fan-out queues a round's deliveries with one write."""

import uuid

from pymongo import AsyncMongoClient, monitoring

from services.common.clock import ManualClock
from services.gateway import feed, webhooks
from services.gateway.settings import GatewaySettings
from services.gateway.webhook_worker import DeliveryWorker
from tests.faults.support import event


class Commands(monitoring.CommandListener):
    def __init__(self):
        self.names: list[str] = []

    def started(self, e):
        if e.command_name not in ("hello", "isMaster", "ping", "endSessions"):
            self.names.append(e.command_name)

    def succeeded(self, e):
        pass

    def failed(self, e):
        pass


async def test_a_batch_is_stored_in_order_once_each_with_three_round_trips(infra):
    commands = Commands()
    watched = AsyncMongoClient(infra["mongo"], tz_aware=True, event_listeners=[commands])
    db = watched[f"feed_{uuid.uuid4().hex[:8]}"]
    try:
        await feed.create_indexes(db)
        first = [event(f"s{i}") for i in range(3)]
        rows = [(e, "t", {"n": i}) for i, e in enumerate(first)]
        assert await feed.store(db, rows) == [1, 2, 3]

        again, new = first[1], event("s3")
        commands.names.clear()
        batch = [(again, "t", {}), (new, "t", {}), (new, "t", {})] + [(event(f"m{i}"), "t", {}) for i in range(50)]
        assert await feed.store(db, batch) == [None, 4, None] + list(range(5, 55))
        assert commands.names == ["find", "findAndModify", "update"]

        stored = [(d["_id"], d["event_id"], d["event"]["sequence"]) async for d in db["feed"].find({}).sort("_id", 1)]
        assert [s for s, _, _ in stored] == [feed.key(n) for n in range(1, 55)]
        assert [i for _, i, _ in stored][:4] == [e.id for e in first] + [new.id]
        assert stored[3][2] == feed.encode_cursor(4)
        assert await feed.store(db, [(new, "t", {})]) == [None]
    finally:
        await watched.close()


async def test_events_stored_with_a_numeric_id_get_the_string_one_once(infra):
    """A feed written before `_id` was the sequence string: re-keyed at start-up, in order,
    nothing lost, served the same; the next start-up does not look again."""
    client = AsyncMongoClient(infra["mongo"], tz_aware=True)
    db = client[f"feed_{uuid.uuid4().hex[:8]}"]
    try:
        old = [{"_id": n, "event_id": f"e{n}", "event": {"id": f"e{n}", "sequence": feed.encode_cursor(n)}}
               for n in (2, 10, 9)]
        await db["feed"].insert_many(old)
        await feed.create_indexes(db)
        docs = await db["feed"].find({}).sort("_id", 1).to_list()
        assert [(d["_id"], feed.served(d)["id"]) for d in docs] == [(feed.key(2), "e2"), (feed.key(9), "e9"),
                                                                   (feed.key(10), "e10")]
        await db["feed"].insert_one({"_id": 11, "event_id": "e11", "event": {}})   # not looked at again
        await feed.create_indexes(db)
        assert await db["feed"].count_documents({"_id": 11}) == 1
    finally:
        await client.close()


async def test_fan_out_queues_a_round_of_deliveries_in_one_write(infra):
    """Every stored event for every matching subscription, once each, with one write for the round
    (two subscriptions and 30 events: 60 deliveries); a round run again queues nothing new."""
    commands = Commands()
    watched = AsyncMongoClient(infra["mongo"], tz_aware=True, event_listeners=[commands])
    db = watched[f"fanout_{uuid.uuid4().hex[:8]}"]
    try:
        await webhooks.create_indexes(db)
        subs = [{"_id": f"sub_{n}", "owner": "p", "organisation": "o", "region": "TIANJIN", "operator": True,
                 "url": "http://127.0.0.1:9/hooks", "event_types": ["*"], "secret": "whsec_" + "A" * 43,
                 "active": True, "start_seq": start} for n, start in ((1, 0), (2, 10))]
        await db[webhooks.SUBSCRIPTIONS].insert_many(subs)
        await feed.store(db, [(event(f"f{i}"), "t", {}) for i in range(30)])
        worker = DeliveryWorker(GatewaySettings(), db, ManualClock())
        commands.names.clear()
        assert await worker.fan_out() == 30
        assert commands.names == ["find", "find", "find", "update", "update"]   # cursor, events, subscriptions
        queued = sorted([d["_id"] async for d in db[webhooks.DELIVERIES].find({}, {"_id": 1})])
        assert queued == sorted([f"sub_1:{n}" for n in range(1, 31)] + [f"sub_2:{n}" for n in range(11, 31)])
        await db["counters"].delete_one({"_id": "webhook_fanout"})
        assert await worker.fan_out() == 30 and await db[webhooks.DELIVERIES].count_documents({}) == 50
        await worker.aclose()
    finally:
        await watched.close()
