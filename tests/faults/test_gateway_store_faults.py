"""Issue 15 items 3 and 5: an Idempotency-Key left "running" by a crashed gateway is
processed after its lease (a concurrent duplicate still gets 409); a stalled or failing
gateway store answers 503 with Retry-After within a bound, never hangs and never 502."""

import asyncio
import json
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from services import devinfra
from services.gateway import app as gateway_app
from services.gateway import idempotency
from services.gateway.settings import GatewaySettings
from tests.gateway.test_guards import platform_db
from tests.support.identity import bearer
from tests.support.tcpproxy import TcpProxy

USERS = "/api/v1/accounts/users"
DEAD_CLIENT = """
import asyncio, os, sys
from pymongo import AsyncMongoClient
async def main():
    client = AsyncMongoClient(sys.argv[1])
    session = client.start_session()
    await session.start_transaction()
    await client.gateway.accounts.insert_one({"_id": "half-written"}, session=session)
    os.kill(os.getpid(), 9)   # killed inside its transaction
asyncio.run(main())
"""


def _user(name: str) -> bytes:
    return json.dumps({"username": name, "password": "a-long-passphrase", "organisation": "org-a",
                       "region": "HEBEI", "roles": ["enterprise"]}).encode()


async def test_a_key_left_running_by_a_crashed_gateway_is_processed_after_its_lease(platform):
    subject = f"op-lease-{uuid.uuid4().hex[:6]}"
    operator = bearer(subject, "org-platform", "BEIJING", "operator") | {"content-type": "application/json"}
    db = platform_db(platform)
    now = datetime.now(UTC)
    crashed, running = _user(f"crashed-{uuid.uuid4().hex[:6]}"), _user(f"running-{uuid.uuid4().hex[:6]}")
    for key, body, started in (("crashed", crashed, now - timedelta(seconds=60)), ("running", running, now)):
        await db["idempotency"].insert_one({  # what a gateway leaves behind when it dies mid-request
            "_id": f"{subject}\n{key}", "fingerprint": idempotency.fingerprint(USERS, b"", body), "state": "running",
            "created_at": started, "lease_until": started + timedelta(seconds=30),
            "expires_at": started + timedelta(days=1)})
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        retried = await c.post(USERS, headers=operator | {"Idempotency-Key": "crashed"}, content=crashed)
        assert retried.status_code == 201, retried.text
        again = await c.post(USERS, headers=operator | {"Idempotency-Key": "crashed"}, content=crashed)
        assert again.status_code == 201 and again.headers["idempotent-replayed"] == "true"
        duplicate = await c.post(USERS, headers=operator | {"Idempotency-Key": "running"}, content=running)
        assert duplicate.status_code == 409 and duplicate.json()["type"].endswith("/idempotency-in-progress")
        assert 1 <= int(duplicate.headers["retry-after"]) <= 30
    assert await db["accounts"].count_documents({"_id": json.loads(running)["username"]}) == 0


async def test_a_stalled_or_failing_gateway_store_answers_503_with_retry_after(tmp_path):
    mongo_port, proxy_port, http_port = devinfra.free_port(), devinfra.free_port(), devinfra.free_port()
    mongo = await asyncio.to_thread(devinfra.start_mongo, mongo_port, str(tmp_path / "gateway.sqlite"))
    proxy = TcpProxy(proxy_port, mongo_port)
    await proxy.start()
    settings = GatewaySettings(http_port=http_port, delivery_in_process=False, idempotency_store_timeout_seconds=0.5,
                               mongo={"uri": f"mongodb://127.0.0.1:{proxy_port}/?directConnection=true"})
    stop = asyncio.Event()
    gateway = asyncio.create_task(gateway_app.serve(settings, stop))
    operator = bearer(f"op-stall-{uuid.uuid4().hex[:6]}", "org-platform", "BEIJING", "operator") | {
        "content-type": "application/json"}
    try:
        await asyncio.to_thread(devinfra.wait_for_port, http_port)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_port}", timeout=10, headers=operator) as c:
            ok = await c.post(USERS, headers={"Idempotency-Key": "k0"}, content=_user("stall-user-0"))
            assert ok.status_code == 201, ok.text
            proxy.pause()  # the store stalls: connections open, nothing answers
            started = time.monotonic()
            stalled = await c.post(USERS, headers={"Idempotency-Key": "k1"}, content=_user("stall-user-1"))
            elapsed = time.monotonic() - started
            assert stalled.status_code == 503 and stalled.headers["retry-after"] == "1", stalled.text
            assert stalled.json()["type"].endswith("/store-unavailable") and elapsed < 2.0
            proxy.resume()
            ok = await c.post(USERS, headers={"Idempotency-Key": "k2"}, content=_user("stall-user-2"))
            assert ok.status_code == 201, ok.text

            uri = f"mongodb://127.0.0.1:{mongo_port}/?directConnection=true"
            await asyncio.to_thread(subprocess.run, [sys.executable, "-c", DEAD_CLIENT, uri], check=False)
            for key in ({"Idempotency-Key": "k3"}, {}):  # the store refuses every operation now
                failing = await c.post(USERS, headers=key, content=_user("stall-user-3"))
                assert failing.status_code == 503 and failing.headers["retry-after"] == "1", failing.text
                assert failing.json()["type"].endswith("/store-unavailable")
    finally:
        proxy.resume()
        stop.set()
        await asyncio.wait_for(gateway, 20)
        await proxy.cut()
        devinfra.stop(mongo)


async def test_a_services_transient_store_refusal_is_503_not_502():
    import grpc

    from services.gateway import problems

    def rpc_error(details: str) -> grpc.aio.AioRpcError:
        return grpc.aio.AioRpcError(grpc.StatusCode.UNKNOWN, grpc.aio.Metadata(), grpc.aio.Metadata(), details)

    locked = await problems.on_grpc_error(None, rpc_error("Unexpected <class 'OperationFailure'>: database is locked"))
    assert locked.status_code == 503 and locked.headers["retry-after"] == "5"
    assert json.loads(locked.body)["type"].endswith("/service-unavailable")
    assert (await problems.on_grpc_error(None, rpc_error("something else"))).status_code == 502
