"""Issue 15 item 2: a process killed inside a transaction does not keep the others (nor its
own restart) out: the embedded server aborts the transaction after its lifetime limit, as a
replica set does, and start-up waits for that, bounded, with a clear log line."""

import asyncio
import subprocess
import sys
import time

import pytest

from services import devinfra
from services.common import mongo
from services.common.clock import ManualClock
from services.common.outbox import Outbox
from tests.faults.test_gateway_store_faults import DEAD_CLIENT

# mongoeco renews its change-stream consumer registrations every 60 s; here every 0.2 s, so a
# renewal would fall inside the dead transaction if the server registered any (it registers none:
# devmongo.py; this guards that), the server otherwise as the platform runs it
FAST_HEARTBEAT = ("import sys, mongoeco.engines.sqlite as e; e._EPHEMERAL_CHANGE_CONSUMER_HEARTBEAT_SECONDS = 0.2; "
                  "from services import devinfra; devinfra.main()")


async def test_start_up_waits_until_a_killed_clients_transaction_is_aborted(tmp_path):
    port = devinfra.free_port()
    server = await asyncio.to_thread(devinfra.start_mongo, port, str(tmp_path / "s.sqlite"), transaction_lifetime=2)
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    client = mongo.connect(uri)
    try:
        await asyncio.to_thread(subprocess.run, [sys.executable, "-c", DEAD_CLIENT, uri], check=False)
        started = time.monotonic()
        await mongo.ping(client, uri, wait_seconds=30)   # the restarted service's start-up
        waited = time.monotonic() - started
        assert 1.0 < waited < 10.0, waited
        outbox = Outbox(client["svc"], "/bth/test", ManualClock())
        await outbox.create_indexes()
        async with mongo.UnitOfWork(client, "svc", outbox, "bth.registry.v1") as uow:
            await uow.db["things"].insert_one({"_id": "after"}, session=uow.session)
            await uow.commit()
        assert await client["gateway"]["accounts"].count_documents({}) == 0   # the dead write rolled back
    finally:
        await client.close()
        devinfra.stop(server)


async def test_start_up_gives_up_with_one_clear_line_after_its_bound(tmp_path):
    port = devinfra.free_port()
    server = await asyncio.to_thread(devinfra.start_mongo, port, str(tmp_path / "s.sqlite"))  # 60 s lifetime
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    client = mongo.connect(uri)
    try:
        await asyncio.to_thread(subprocess.run, [sys.executable, "-c", DEAD_CLIENT, uri], check=False)
        with pytest.raises(SystemExit) as stopped:
            await mongo.ping(client, uri, wait_seconds=1)
        assert str(stopped.value).startswith(f"MongoDB at {uri} refused operations for 1s: ")
        assert "active transaction bound to another session" in str(stopped.value)
    finally:
        await client.close()
        devinfra.stop(server)




def _start_with_fast_heartbeat(port: int, path: str) -> subprocess.Popen:
    server = subprocess.Popen([sys.executable, "-c", FAST_HEARTBEAT, "mongo", "--port", str(port),
                               "--path", path, "--transaction-lifetime", "7"])
    devinfra.wait_for_port(port, proc=server)
    return server


async def test_a_renewal_blocked_by_a_killed_clients_transaction_does_not_keep_the_server_locked(tmp_path):
    """The write lock of the dead transaction outlasts SQLite's 5 s busy timeout, so a renewal of a
    change-stream registration inside it failed with 'database is locked', and mongoeco alone then
    answered that error to every command for ever; once the transaction is aborted (7 s lifetime)
    the server serves again."""
    port = devinfra.free_port()
    server = await asyncio.to_thread(_start_with_fast_heartbeat, port, str(tmp_path / "s.sqlite"))
    uri = f"mongodb://127.0.0.1:{port}/?directConnection=true"
    client = mongo.connect(uri)
    try:
        await client["svc"]["things"].insert_one({"_id": "before"})   # listDatabases reads every collection
        await asyncio.to_thread(subprocess.run, [sys.executable, "-c", DEAD_CLIENT, uri], check=False)
        started = time.monotonic()
        await mongo.ping(client, uri, wait_seconds=20)
        assert 6.0 < time.monotonic() - started < 12.0
        await client["svc"]["things"].insert_one({"_id": "plain"})
        outbox = Outbox(client["svc"], "/bth/test", ManualClock())
        async with mongo.UnitOfWork(client, "svc", outbox, "bth.registry.v1") as uow:
            await uow.db["things"].insert_one({"_id": "in-a-transaction"}, session=uow.session)
            await uow.commit()
        assert await client["svc"]["things"].count_documents({}) == 3
        assert await client["gateway"]["accounts"].count_documents({}) == 0   # the dead write rolled back
    finally:
        await client.close()
        devinfra.stop(server)
