"""A small local webhook receiver on a free port: records every request (headers, body)
and answers with the next status from a script (default 200)."""

import asyncio
import json


class Receiver:
    def __init__(self, statuses: list[int] | None = None):
        self.statuses = list(statuses or [])
        self.requests: list[dict] = []   # {"headers", "body", "status"}
        self.server = None
        self.port = 0
        self.down = False        # while True every request is answered 503 (a partner outage)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    async def start(self) -> "Receiver":
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self.server.close()
        await self.server.wait_closed()

    async def _handle(self, reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            status = 503 if self.down else self.statuses.pop(0) if self.statuses else 200
            self.requests.append({"headers": headers, "body": body, "status": status})
            writer.write(f"HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".encode())
            await writer.drain()
        finally:
            writer.close()

    def accepted(self) -> list[dict]:
        return [json.loads(r["body"]) for r in self.requests if r["status"] == 200]


def gateway_mongo(platform) -> str:
    """The gateway's MongoDB URI in the test platform (one server per service, or one shared)."""
    return platform.mongo["gateway"] if isinstance(platform.mongo, dict) else platform.mongo
