"""Abuse: login brute force and stalls (issue 12 item 3) and token revocation (item 5),
through real HTTP against the test platform's gateway. Each test speaks from its own
client address (X-Forwarded-For, which uvicorn trusts from 127.0.0.1), so the per-address
throttle of one test does not lock out another."""

import asyncio
import statistics
import threading
import time
import uuid

import httpx
import pytest
from argon2 import PasswordHasher

from services.gateway import passwords
from tests.support.identity import bearer
from tests.support.platform import second_gateway

OPERATOR = bearer("op-abuse-login", "org-platform", "BEIJING", "operator")
PASSWORD = "a-long-passphrase"


@pytest.fixture(scope="module")
async def small_limits(platform):
    """A second gateway on the same store with small login limits (fewer hashes to reach them)."""
    async with second_gateway(platform, login_account_limits="3/minute;6/hour",
                              login_ip_limits="5/minute;50/hour") as url:
        yield url


def _address() -> str:
    n = uuid.uuid4().int
    return f"198.18.{n % 250}.{(n >> 8) % 250 + 1}"


async def _user(c: httpx.AsyncClient, roles=("institution",)) -> str:
    username = f"abuse-{uuid.uuid4().hex[:10]}"
    r = await c.post("/api/v1/accounts/users", headers=OPERATOR, json={
        "username": username, "password": PASSWORD, "organisation": "org-abuse", "region": "BEIJING",
        "roles": list(roles)})
    assert r.status_code == 201, r.text
    return username


async def _login(c, username: str, password: str, address: str) -> httpx.Response:
    return await c.post("/api/v1/oauth/token", headers={"X-Forwarded-For": address},
                        data={"grant_type": "password", "username": username, "password": password})


class GatedHasher(PasswordHasher):
    """The real hasher, recording the thread each hash runs in; `gate` holds a hash until set."""

    def __init__(self):
        super().__init__()
        self.threads: list[str] = []
        self.started, self.gate, self.finished = threading.Event(), threading.Event(), threading.Event()
        self.gate.set()

    def _record(self):
        self.threads.append(threading.current_thread().name)
        self.started.set()
        self.gate.wait(15)
        self.finished.set()

    def hash(self, password, **kwargs):
        self._record()
        return super().hash(password, **kwargs)

    def verify(self, hash, password):  # noqa: A002 - the library's parameter name
        self._record()
        return super().verify(hash, password)


async def test_password_hashing_runs_off_the_event_loop(platform, monkeypatch):
    spy = GatedHasher()
    monkeypatch.setattr(passwords, "HASHER", spy)
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as c:
        spy.gate.clear()
        login = asyncio.create_task(_login(c, f"nobody-{uuid.uuid4().hex[:8]}", "wrong-password", _address()))
        assert await asyncio.to_thread(spy.started.wait, 15)
        health = await c.get("/healthz")             # answered while the hash is still running
        assert health.status_code == 200 and not spy.finished.is_set()
        spy.gate.set()
        assert (await login).status_code == 400
        loop_thread = threading.current_thread().name
        assert spy.threads and all(t.startswith(passwords.THREAD_PREFIX) and t != loop_thread for t in spy.threads)


async def test_healthz_stays_responsive_under_four_login_loops(platform, monkeypatch):
    """Four anonymous loops of wrong logins (each from a fresh address and username, so every
    attempt hashes) while /healthz is polled; the figures are printed, not asserted."""
    spy = GatedHasher()
    monkeypatch.setattr(passwords, "HASHER", spy)
    per_loop, latencies, running = 3, [], True
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60) as c:
        async def attacker():
            statuses = []
            for _ in range(per_loop):
                r = await _login(c, f"nobody-{uuid.uuid4().hex[:8]}", "wrong-password", _address())
                statuses.append(r.status_code)
            return statuses

        async def probe():
            while running:
                start = time.perf_counter()
                assert (await c.get("/healthz")).status_code == 200
                latencies.append((time.perf_counter() - start) * 1000)
                await asyncio.sleep(0.01)   # pacing of the probe, not a wait for an outcome
        async def idle_probe(n: int = 50) -> list[float]:
            out = []
            for _ in range(n):
                start = time.perf_counter()
                await c.get("/healthz")
                out.append((time.perf_counter() - start) * 1000)
            return out
        idle = await idle_probe()
        prober = asyncio.create_task(probe())
        results = await asyncio.gather(*(attacker() for _ in range(4)))
        running = False
        await prober
    assert results == [[400] * per_loop] * 4
    assert len(spy.threads) == 4 * per_loop
    assert all(t.startswith(passwords.THREAD_PREFIX) for t in spy.threads)
    q = statistics.quantiles(latencies, n=100)
    print(f"\n/healthz under 4 login loops: n={len(latencies)} p50={statistics.median(latencies):.1f} ms "
          f"p90={q[89]:.1f} ms "
          f"p99={q[98]:.1f} ms max={max(latencies):.1f} ms; idle: p50={statistics.median(idle):.1f} ms "
          f"p99={statistics.quantiles(idle, n=100)[98]:.1f} ms")


async def test_failed_logins_lock_the_account_with_429_and_retry_after(small_limits):
    async with httpx.AsyncClient(base_url=small_limits, timeout=60) as c:
        username, address = await _user(c), _address()
        for _ in range(2):
            assert (await _login(c, username, "wrong-password", address)).status_code == 400
        assert (await _login(c, username, PASSWORD, address)).status_code == 200   # success clears the count
        statuses = [(await _login(c, username, "wrong-password", _address())).status_code for _ in range(4)]
        assert statuses == [400] * 3 + [429]                                       # 3/minute per account
        locked = await _login(c, username, PASSWORD, _address())                   # right password, other address
        assert locked.status_code == 429
        body = locked.json()
        assert locked.headers["content-type"] == "application/problem+json"
        assert body["type"] == "https://bth.example.org/problems/login-throttled" and body["field"] == "username"
        assert body["error"] == "temporarily_unavailable"
        assert 1 <= int(locked.headers["retry-after"]) <= 60
        other = await _user(c)
        assert (await _login(c, other, PASSWORD, address)).status_code == 200      # the address is not locked


async def test_failed_logins_lock_the_client_address(small_limits):
    async with httpx.AsyncClient(base_url=small_limits, timeout=60) as c:
        username, address = await _user(c), _address()
        statuses = [(await _login(c, f"guess-{i}-{uuid.uuid4().hex[:6]}", "wrong-password", address)).status_code
                    for i in range(6)]
        assert statuses == [400] * 5 + [429]                                       # 5/minute per address
        refused = await _login(c, username, PASSWORD, address)                     # right password, locked address
        assert refused.status_code == 429 and refused.json()["field"] is None
        assert int(refused.headers["retry-after"]) >= 1
        assert (await _login(c, username, PASSWORD, _address())).status_code == 200
        secret = await c.post("/api/v1/oauth/token", headers={"X-Forwarded-For": address}, data={
            "grant_type": "client_credentials", "client_id": "any-client", "client_secret": "guess"})
        assert secret.status_code == 429                                           # client secrets too


async def _me(c, access_token: str) -> httpx.Response:
    return await c.get("/api/v1/me", headers={"Authorization": f"Bearer {access_token}"})


async def test_disabling_an_account_revokes_its_live_tokens_at_once(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as c:
        username = await _user(c)
        live = (await _login(c, username, PASSWORD, _address())).json()["access_token"]
        assert (await _me(c, live)).status_code == 200
        assert (await c.post(f"/api/v1/accounts/{username}/disable", headers=OPERATOR)).status_code == 200
        refused = await _me(c, live)
        assert refused.status_code == 401
        assert refused.json()["detail"] == \
            "invalid token: the token was revoked (account disabled or credentials rotated)"
        assert (await c.post(f"/api/v1/accounts/{username}/enable", headers=OPERATOR)).status_code == 200
        assert (await _me(c, live)).status_code == 401                             # enabling revives no old token
        fresh = (await _login(c, username, PASSWORD, _address())).json()["access_token"]
        assert (await _me(c, fresh)).status_code == 200


async def test_rotating_or_disabling_a_client_revokes_its_live_tokens(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as c:
        client_id = f"abuse-client-{uuid.uuid4().hex[:8]}"
        r = await c.post("/api/v1/accounts/clients", headers=OPERATOR, json={
            "client_id": client_id, "organisation": "org-tianjin-platform", "region": "TIANJIN"})
        first = r.json()["client_secret"]

        async def grant(secret: str) -> str:
            r = await c.post("/api/v1/oauth/token", data={"grant_type": "client_credentials",
                                                          "client_id": client_id, "client_secret": secret})
            assert r.status_code == 200, r.text
            return r.json()["access_token"]
        live = await grant(first)
        assert (await _me(c, live)).status_code == 200
        second = (await c.post(f"/api/v1/accounts/clients/{client_id}/rotate-secret", headers=OPERATOR)).json()
        assert (await _me(c, live)).status_code == 401
        after = await grant(second["client_secret"])
        assert (await _me(c, after)).status_code == 200
        assert (await c.post(f"/api/v1/accounts/{client_id}/disable", headers=OPERATOR)).status_code == 200
        assert (await _me(c, after)).status_code == 401
        r = await c.post("/api/v1/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id,
                                                      "client_secret": second["client_secret"]})
        assert r.status_code == 401 and r.json()["error"] == "invalid_client"


async def test_401_titles_do_not_echo_decoder_errors(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        for value in ("not-a-jwt", "eyJhbGciOiJub25lIn0.e30.", "a.b.c", "eyJ" + "A" * 50 + ".x.y"):
            r = await _me(c, value)
            assert r.status_code == 401
            assert r.json()["detail"] == "invalid token: the token is not valid", value
