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


