"""Run a unit of work again when its transaction commit hits a write conflict (the event
relay and consumers write concurrently); domain errors are never retried."""

import asyncio

from pymongo.errors import OperationFailure

ATTEMPTS = 6


async def in_unit(deps, work):
    """`work(uow)` inside a fresh unit of work; committed; retried on write conflicts."""
    for attempt in range(ATTEMPTS):
        try:
            async with deps.uow() as uow:
                result = await work(uow)
                await uow.commit()
                return result
        except OperationFailure as exc:
            conflict = exc.has_error_label("TransientTransactionError") or "conflict" in str(exc).lower()
            if not conflict or attempt == ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.02 * 2**attempt)
