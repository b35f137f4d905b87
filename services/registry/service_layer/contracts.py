"""Technology contract handlers: file, get, register / refuse / extend (registrar), and the
deadline check (worker timer and operator RPC)."""

import uuid

from services.common.errors import Forbidden, NotFound
from services.common.identity import SYSTEM
from services.common.mongo import with_retry
from services.registry.domain import commands, contract
from services.registry.service_layer.deps import Deps


def _visible(c: contract.TechnologyContract, actor) -> bool:
    return actor.has("operator", "system") or actor.organisation in (c.seller.organisation, c.buyer.organisation)


async def file_contract(cmd: commands.FileContract, deps: Deps) -> contract.TechnologyContract:
    if not cmd.actor.organisation:
        raise Forbidden("only a member of an organisation can file contracts", "organisation")
    c = contract.file(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.contract_limit_days, type=cmd.type,
                      title=cmd.title, seller=cmd.seller, buyer=cmd.buyer, amount=cmd.amount, field=cmd.field,
                      achievement_ids=cmd.achievement_ids)
    async with deps.uow() as uow:
        await deps.contracts(uow).add(c)
        await uow.commit()
    return c


async def get_contract(cmd: commands.GetContract, deps: Deps) -> contract.TechnologyContract:
    async with deps.uow() as uow:
        c = await deps.contracts(uow).get(cmd.contract_id)
    if not _visible(c, cmd.actor):
        raise NotFound(f"contract {cmd.contract_id} does not exist", "contract_id")
    return c


async def _decide(deps: Deps, contract_id: str, change) -> contract.TechnologyContract:
    async with deps.uow() as uow:
        repo = deps.contracts(uow)
        c = await repo.get(contract_id)
        await change(c, uow)
        await repo.save(c)
        await uow.commit()
    return c


async def register_contract(cmd: commands.DecideContract, deps: Deps) -> contract.TechnologyContract:
    async def change(c, uow):
        now = deps.clock.now()
        c._registrar(cmd.actor, "register")
        serial = await deps.counters(uow).next(contract.counter_key(deps.registering_body_code, now.year))
        c.register(cmd.actor, now, deps.registering_body_code, serial, cmd.note)
    return await _decide(deps, cmd.contract_id, change)


async def refuse_contract(cmd: commands.DecideContract, deps: Deps) -> contract.TechnologyContract:
    async def change(c, uow):
        c.refuse(cmd.actor, deps.clock.now(), cmd.note)
    return await _decide(deps, cmd.contract_id, change)


async def extend_contract(cmd: commands.ExtendContract, deps: Deps) -> contract.TechnologyContract:
    async def change(c, uow):
        c.extend(cmd.actor, cmd.days, deps.contract_max_days, cmd.note)
    return await _decide(deps, cmd.contract_id, change)


async def check_contract_deadlines(cmd: commands.CheckContractDeadlines, deps: Deps) -> list[str]:
    """One ContractDeadlineBreached per undecided contract past its time limit (per the clock)."""
    if not cmd.actor.has("operator", "system"):
        raise Forbidden("only an operator may check contract deadlines", "actor")
    now = deps.clock.now()
    due = await deps.uow().db["contracts"].find(
        {"status": "FILED", "breached": False, "due_at": {"$lte": now}}, {"_id": 1}).to_list()
    breached = []
    for doc in due:
        if await with_retry(lambda d=doc: _breach_once(deps, d["_id"], now)):
            breached.append(doc["_id"])
    return breached


async def _breach_once(deps: Deps, contract_id: str, now) -> bool:
    async with deps.uow() as uow:
        repo = deps.contracts(uow)
        c = await repo.get(contract_id)
        if not c.check_deadline(SYSTEM, now):
            return False
        await repo.save(c)
        await uow.commit()
    return True
