"""Technology contract handlers `(cmd, uow, deps)`: file, get, register / refuse / extend
(registrar), and the deadline sweep (worker timer and operator RPC)."""

import uuid

from services.common.errors import Forbidden, NotFound
from services.common.identity import SYSTEM
from services.registry.domain import commands, contract
from services.registry.service_layer.deps import Deps


def visible(c: contract.TechnologyContract, actor) -> bool:
    return actor.has("operator", "system") or actor.organisation in (c.seller.organisation, c.buyer.organisation)


async def file_contract(cmd: commands.FileContract, uow, deps: Deps) -> contract.TechnologyContract:
    if not cmd.actor.organisation:
        raise Forbidden("only a member of an organisation can file contracts", "organisation")
    c = contract.file(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.contract_limit_days, type=cmd.type,
                      title=cmd.title, seller=cmd.seller, buyer=cmd.buyer, amount=cmd.amount, field=cmd.field,
                      achievement_ids=cmd.achievement_ids)
    await uow.contracts.add(c)
    return c


async def get_contract(cmd: commands.GetContract, uow, deps: Deps) -> contract.TechnologyContract:
    c = await uow.contracts.get(cmd.contract_id)
    if not visible(c, cmd.actor):
        raise NotFound(f"contract {cmd.contract_id} does not exist", "contract_id")
    return c


async def register_contract(cmd: commands.RegisterContract, uow, deps: Deps) -> contract.TechnologyContract:
    c = await uow.contracts.get(cmd.contract_id)
    now = deps.clock.now()
    c._registrar(cmd.actor, "register")   # before a serial is taken
    serial = await uow.counters.next(contract.counter_key(deps.registering_body_code, now.year))
    c.register(cmd.actor, now, deps.registering_body_code, serial, cmd.note)
    await uow.contracts.save(c)
    return c


async def refuse_contract(cmd: commands.RefuseContract, uow, deps: Deps) -> contract.TechnologyContract:
    c = await uow.contracts.get(cmd.contract_id)
    c.refuse(cmd.actor, deps.clock.now(), cmd.note)
    await uow.contracts.save(c)
    return c


async def extend_contract(cmd: commands.ExtendContract, uow, deps: Deps) -> contract.TechnologyContract:
    c = await uow.contracts.get(cmd.contract_id)
    c.extend(cmd.actor, cmd.days, deps.contract_max_days, cmd.note)
    await uow.contracts.save(c)
    return c


async def contracts_due(cmd: commands.CheckContractDeadlines, uow, deps: Deps) -> list[str]:
    """The sweep's due ids: undecided contracts past their time limit (per the clock)."""
    if not cmd.actor.has("operator", "system"):
        raise Forbidden("only an operator may check contract deadlines", "actor")
    return await uow.contracts.due(deps.clock.now())


async def breach_if_due(cmd: commands.CheckContractDeadlines, contract_id: str, uow, deps: Deps) -> bool:
    """One contract in its own unit of work: ContractDeadlineBreached once."""
    c = await uow.contracts.get(contract_id)
    if not c.check_deadline(SYSTEM, deps.clock.now()):
        return False
    await uow.contracts.save(c)
    return True
