"""The console's only way to act: the gateway's own REST API, called in-process through the whole
ASGI stack (request id, guards, bearer authentication, the authorisation matrix, rate limits,
problem details) with the signed-in person's access token. The console holds no business rule:
what REST refuses, the console shows as REST's problem."""

import dataclasses

import httpx

from services.common import logs

INTERNAL_BASE = "http://console.internal"


@dataclasses.dataclass
class Problem(Exception):
    """A refusal from the REST API: its status and RFC 9457 problem details."""

    status: int
    detail: str = ""
    field: str = ""
    body: dict = dataclasses.field(default_factory=dict)

    @classmethod
    def of(cls, response: httpx.Response) -> "Problem":
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        detail = body.get("detail") or body.get("title") or response.reason_phrase
        if isinstance(detail, list):   # FastAPI's validation list, should one reach us
            detail = "; ".join(str(d.get("msg", d)) for d in detail)
        return cls(response.status_code, str(detail), str(body.get("field") or ""), body)


class Api:
    """REST calls as the person behind `token` (empty: anonymous, e.g. the token endpoint).
    `client` is the browser's address, so login throttling counts the real caller."""

    def __init__(self, gateway, token: str = "", client: tuple[str, int] = ("127.0.0.1", 0)):
        self.gateway, self.token, self.client = gateway, token, client

    def _session(self) -> httpx.AsyncClient:
        # a REST failure comes back as its response (a problem), never as an exception in the page
        transport = httpx.ASGITransport(app=self.gateway, client=self.client, raise_app_exceptions=False)
        headers = {"X-Request-Id": logs.request_id.get()}   # the page's id: one id in the logs per click
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return httpx.AsyncClient(transport=transport, base_url=INTERNAL_BASE, headers=headers, timeout=30)

    async def request(self, method: str, path: str, **kwargs) -> dict:
        if any(part in (".", "..") for part in path.split("?")[0].split("/")):   # an id never walks the path
            raise Problem(404, "no such resource", "path")
        async with self._session() as session:
            response = await session.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise Problem.of(response)
        return response.json() if response.content else {}

    async def get(self, path: str, params: dict | None = None) -> dict:
        clean = {k: v for k, v in (params or {}).items() if v not in ("", None)}
        return await self.request("GET", path, params=clean)

    async def post(self, path: str, body: dict | None = None, form: dict | None = None) -> dict:
        if form is not None:
            return await self.request("POST", path, data=form)
        return await self.request("POST", path, json=body if body is not None else {})
