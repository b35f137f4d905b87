"""One unit of work: `work(uow)` inside a fresh transaction, committed. No retry here: the
foundation serialises each process's transactions (services/common/mongo_lock.py) and
grpc_method reruns a whole handler on a transient conflict (services/common/mongo.with_retry)."""


async def in_unit(deps, work):
    async with deps.uow() as uow:
        result = await work(uow)
        await uow.commit()
        return result
