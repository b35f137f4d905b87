"""A cuttable TCP proxy, to take a broker away from clients without losing its memory, or
to stall a server (pause: connections stay open, no byte moves) and let it go again."""

import asyncio


class TcpProxy:
    def __init__(self, listen_port: int, target_port: int):
        self.listen_port, self.target_port = listen_port, target_port
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.flowing = asyncio.Event()
        self.flowing.set()

    def pause(self) -> None:
        self.flowing.clear()

    def resume(self) -> None:
        self.flowing.set()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.listen_port)

    async def cut(self) -> None:
        """Stop accepting and drop every open connection."""
        server, self.server = self.server, None
        if server:
            server.close()
        for w in list(self.writers):
            w.close()
        self.writers.clear()
        if server:  # wait_closed waits for open connections, so it comes after closing them
            await asyncio.wait_for(server.wait_closed(), 5)

    async def _handle(self, reader, writer) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_writer}

        async def pipe(src, dst):
            try:
                while data := await src.read(65536):
                    await self.flowing.wait()
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
