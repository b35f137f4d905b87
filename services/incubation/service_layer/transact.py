"""Run one unit of work (state + outbox in one transaction), retried whole when its
transaction lost a race (services.common.mongo.with_retry)."""

from services.common import mongo


async def transact(deps, work):
    """`await work(uow)` inside a transaction and commit; returns what work returned."""
    async def once():
        async with deps.uow() as uow:
            result = await work(uow)
            await uow.commit()
            return result
    return await mongo.with_retry(once)
