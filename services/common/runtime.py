"""One asyncio.TaskGroup per process: every long-running part is a task; SIGINT/SIGTERM
(or any task failing) stops them all, then cleanups run in reverse order."""

import asyncio
import signal
from collections.abc import Awaitable, Callable

from services.common import logs


class _Stop(Exception):
    pass


async def _wait(stop: asyncio.Event) -> None:
    await stop.wait()
    raise _Stop


async def run_until_stopped(tasks: dict[str, Awaitable], cleanups: list[Callable[[], Awaitable]],
                            stop: asyncio.Event | None = None) -> None:
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread (tests)
            pass
    log = logs.get("runtime")
    try:
        async with asyncio.TaskGroup() as group:
            for name, coro in tasks.items():
                group.create_task(coro, name=name)
            group.create_task(_wait(stop), name="stop-signal")
            log.info("process.started", tasks=sorted(tasks))
    except* _Stop:
        log.info("process.stopping")
    finally:
        for cleanup in reversed(cleanups):
            try:
                await cleanup()
            except Exception as exc:  # noqa: BLE001 - keep cleaning up
                log.warning("process.cleanup_failed", error=str(exc))
        log.info("process.stopped")
