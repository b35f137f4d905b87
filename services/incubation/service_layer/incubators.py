"""Incubator handlers: register, enterprises in and out, counts by region and sponsor."""

import uuid

from services.common.errors import Forbidden, require
from services.incubation.domain import commands, incubators, vocab
from services.incubation.domain.incubators import EnterpriseStatus
from services.incubation.service_layer.deps import Deps
from services.incubation.service_layer.transact import transact


async def register_incubator(cmd: commands.RegisterIncubator, deps: Deps) -> incubators.Incubator:
    if not cmd.actor.has("institution", "operator"):
        raise Forbidden("only a university or institute registers its incubator", "sponsor")
    async def work(uow):
        incubator = incubators.register(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.name, cmd.region,
                                        cmd.city)
        await deps.incubators(uow).add(incubator)
        return incubator
    return await transact(deps, work)


async def _change(cmd, deps: Deps, change) -> incubators.Incubator:
    async def work(uow):
        repo = deps.incubators(uow)
        incubator = await repo.get(cmd.incubator_id)
        if not (cmd.actor.organisation == incubator.sponsor or cmd.actor.has("operator")):
            raise Forbidden("only the sponsoring organisation or the operator changes an incubator", "incubator_id")
        change(incubator)
        await repo.save(incubator)
        return incubator
    return await transact(deps, work)


async def admit_enterprise(cmd: commands.AdmitEnterprise, deps: Deps) -> incubators.Incubator:
    enterprise_id = cmd.enterprise_id or str(uuid.uuid4())
    return await _change(cmd, deps, lambda i: i.admit(enterprise_id, cmd.name, cmd.actor.subject, deps.clock.now()))


async def release_enterprise(cmd: commands.ReleaseEnterprise, deps: Deps) -> incubators.Incubator:
    return await _change(cmd, deps, lambda i: i.release(cmd.enterprise_id, cmd.graduated, cmd.actor.subject,
                                                        deps.clock.now()))


async def get_incubator(cmd: commands.GetIncubator, deps: Deps) -> incubators.Incubator:
    async with deps.uow() as uow:
        return await deps.incubators(uow).get(cmd.incubator_id)


async def count_incubators(cmd: commands.CountIncubators, deps: Deps) -> dict:
    query = {}
    if cmd.region:
        require(cmd.region in vocab.REGIONS, f"unknown region {cmd.region!r}", "region")
        query["region"] = cmd.region
    if cmd.sponsor:
        query["sponsor"] = cmd.sponsor
    async with deps.uow() as uow:
        found = await deps.incubators(uow).find(query)
    by_region: dict[str, dict] = {}
    by_sponsor: dict[str, dict] = {}
    for inc in found:
        for table, key in ((by_region, inc.region), (by_sponsor, inc.sponsor)):
            row = table.setdefault(key, {"key": key, "incubators": 0, "incubating": 0, "graduated": 0, "left": 0})
            row["incubators"] += 1
            row["incubating"] += inc.count(EnterpriseStatus.INCUBATING)
            row["graduated"] += inc.count(EnterpriseStatus.GRADUATED)
            row["left"] += inc.count(EnterpriseStatus.LEFT)
    return {"by_region": [by_region[k] for k in sorted(by_region)],
            "by_sponsor": [by_sponsor[k] for k in sorted(by_sponsor)]}
