"""Incubator handlers: register, enterprises in and out, counts by region and sponsor."""

import uuid

from services.common.errors import Forbidden, require
from services.incubation.domain import commands, incubators, vocab
from services.incubation.domain.incubators import EnterpriseStatus
from services.incubation.service_layer.deps import Deps


async def register_incubator(cmd: commands.RegisterIncubator, uow, deps: Deps) -> incubators.Incubator:
    if not cmd.actor.has("institution", "operator"):
        raise Forbidden("only a university or institute registers its incubator", "sponsor")
    incubator = incubators.register(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.name, cmd.region, cmd.city)
    await uow.incubators.add(incubator)
    return incubator


async def _change(cmd, uow, change) -> incubators.Incubator:
    incubator = await uow.incubators.get(cmd.incubator_id)
    if not (cmd.actor.organisation == incubator.sponsor or cmd.actor.has("operator")):
        raise Forbidden("only the sponsoring organisation or the operator changes an incubator", "incubator_id")
    change(incubator)
    await uow.incubators.save(incubator)
    return incubator


async def admit_enterprise(cmd: commands.AdmitEnterprise, uow, deps: Deps) -> incubators.Incubator:
    enterprise_id = cmd.enterprise_id or str(uuid.uuid4())
    return await _change(cmd, uow, lambda i: i.admit(enterprise_id, cmd.name, cmd.actor.subject, deps.clock.now()))


async def release_enterprise(cmd: commands.ReleaseEnterprise, uow, deps: Deps) -> incubators.Incubator:
    return await _change(cmd, uow, lambda i: i.release(cmd.enterprise_id, cmd.graduated, cmd.actor.subject,
                                                       deps.clock.now()))


async def get_incubator(cmd: commands.GetIncubator, uow, deps: Deps) -> incubators.Incubator:
    return await uow.incubators.get(cmd.incubator_id)


async def count_incubators(cmd: commands.CountIncubators, uow, deps: Deps) -> dict:
    if cmd.region:
        require(cmd.region in vocab.REGIONS, f"unknown region {cmd.region!r}", "region")
    found = await uow.incubators.matching(region=cmd.region, sponsor=cmd.sponsor)
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
