"""The seeder's HTTP client: signs in as the demo accounts (password grant) and calls the REST
API as each of them; a refusal stops the seeding with the problem the API gave."""

import asyncio
from datetime import date, datetime

import httpx

from services.gateway.seed import dev_password


class SeedingFailed(RuntimeError):
    pass


class Api:
    def __init__(self, url: str, timeout: float = 30.0) -> None:
        self.http = httpx.AsyncClient(base_url=url, timeout=timeout)
        self._tokens: dict[str, str] = {}
        self.calls = 0

    async def close(self) -> None:
        await self.http.aclose()

    async def ready(self) -> None:
        """Until the gateway answers /readyz with 200 (every service SERVING)."""
        async def serving() -> bool:
            return (await self.http.get("/readyz")).status_code == 200
        await self.until(serving, "the platform's readiness", 60.0)

    async def _headers(self, username: str) -> dict[str, str]:
        if username not in self._tokens:
            r = await self.http.post("/api/v1/oauth/token", data={
                "grant_type": "password", "username": username, "password": dev_password(username)})
            if r.status_code != 200:
                raise SeedingFailed(f"sign-in of {username} failed: {r.status_code} {r.text}")
            self._tokens[username] = r.json()["access_token"]
        return {"Authorization": f"Bearer {self._tokens[username]}"}

    async def call(self, who: str, method: str, path: str, body: dict | None = None, params: dict | None = None,
                   retry_busy: bool = True) -> dict:
        """One call; 429 (rate limit) and, if `retry_busy`, 503 (a busy store: nothing written) are retried."""
        for _attempt in range(20):
            self.calls += 1
            r = await self.http.request(method, path, json=body, params=params, headers=await self._headers(who))
            if r.status_code == 429:   # the gateway's per-principal limit: wait as it says
                await asyncio.sleep(min(float(r.headers.get("Retry-After", "1")), 5.0))
                continue
            if r.status_code == 503 and retry_busy:
                await asyncio.sleep(0.5)
                continue
            if r.status_code >= 300:
                raise SeedingFailed(f"{who}: {method} {path} → {r.status_code} {r.text}")
            return r.json()
        raise SeedingFailed(f"{who}: {method} {path} still refused (429/503) after 20 attempts")

    async def post(self, who: str, path: str, body: dict | None = None) -> dict:
        return await self.call(who, "POST", path, body)

    async def get(self, who: str, path: str, **params) -> dict:
        return await self.call(who, "GET", path, params=params or None)

    async def now(self) -> str:
        """The platform's (development) time, ISO 8601."""
        return (await self.get("demo-operator", "/api/v1/dev/clock"))["now"]

    async def today(self) -> date:
        return datetime.fromisoformat(await self.now()).date()

    async def advance(self, days: int) -> None:
        """Move the platform clock `days` forward. The route moves the clock, then runs the due
        sweeps; a sweep meeting a busy store answers 503 after the clock moved: then the
        services' own timers apply what became due (the caller waits for it), never a second step."""
        before = (await self.get("demo-operator", "/api/v1/dev/clock"))["offset_seconds"]
        try:
            await self.call("demo-operator", "POST", "/api/v1/dev/clock", {"days": days}, retry_busy=False)
        except SeedingFailed:
            after = (await self.get("demo-operator", "/api/v1/dev/clock"))["offset_seconds"]
            if after != before + days * 86400:
                raise

    @staticmethod
    async def until(check, what: str, seconds: float = 30.0) -> None:
        """Poll `check()` (async, truthy when done) until it holds, at most `seconds`."""
        deadline = asyncio.get_running_loop().time() + seconds
        while not await check():
            if asyncio.get_running_loop().time() > deadline:
                raise SeedingFailed(f"{what} did not happen within {seconds:.0f}s")
            await asyncio.sleep(0.1)
