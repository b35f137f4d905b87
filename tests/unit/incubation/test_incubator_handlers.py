"""Incubator handlers on fakes."""

import pytest

from services.common.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from services.incubation.domain import commands as c
from services.incubation.domain.incubators import EnterpriseStatus
from services.incubation.service_layer import handlers
from tests.unit.incubation.world import ENTERPRISE, OPERATOR, UNIV, incubator, world


async def test_an_institution_registers_its_incubator_and_an_enterprise_may_not():
    uow, deps = world()
    made = await handlers.handle(c.RegisterIncubator(UNIV, "Univ incubator", "HEBEI", "Baoding"), deps)
    assert (made.sponsor, made.sponsor_region, made.region, made.city, made.version) == (
        "org-univ", "BEIJING", "HEBEI", "Baoding", 1)
    assert list(uow.incubators.items) == [made.incubator_id] and uow.event_names() == ["IncubatorRegistered"]
    with pytest.raises(Forbidden) as refused:
        await handlers.handle(c.RegisterIncubator(ENTERPRISE, "X", "HEBEI"), deps)
    assert refused.value.field == "sponsor" and len(uow.incubators.items) == 1


async def test_the_sponsor_admits_and_graduates_an_enterprise():
    uow, deps = world()
    uow.incubators.seed(incubator(deps))
    admitted = await handlers.handle(c.AdmitEnterprise(UNIV, "inc-1", "Chip Co", "ent-1"), deps)
    assert [(e.enterprise_id, e.status) for e in admitted.enterprises] == [("ent-1", EnterpriseStatus.INCUBATING)]
    graduated = await handlers.handle(c.ReleaseEnterprise(OPERATOR, "inc-1", "ent-1", True), deps)
    assert graduated.enterprises[0].status == EnterpriseStatus.GRADUATED and graduated.version == 3
    assert uow.event_names() == ["EnterpriseEntered", "EnterpriseGraduated"]
    assert uow.incubators.items["inc-1"].enterprises[0].exited_at == deps.clock.now()


async def test_release_refusals_leave_the_incubator_unchanged():
    uow, deps = world()
    uow.incubators.seed(incubator(deps))
    await handlers.handle(c.AdmitEnterprise(UNIV, "inc-1", "Chip Co", "ent-1"), deps)
    await handlers.handle(c.ReleaseEnterprise(UNIV, "inc-1", "ent-1", False), deps)
    for cmd, error in ((c.ReleaseEnterprise(UNIV, "inc-1", "ent-1", True), TransitionRefused),
                       (c.ReleaseEnterprise(UNIV, "inc-1", "ent-9", True), NotFound),
                       (c.AdmitEnterprise(ENTERPRISE, "inc-1", "Other Co"), Forbidden)):
        with pytest.raises(error):
            await handlers.handle(cmd, deps)
    stored = uow.incubators.items["inc-1"]
    assert [(e.enterprise_id, e.status) for e in stored.enterprises] == [("ent-1", EnterpriseStatus.LEFT)]
    assert stored.version == 3 and uow.committed == 2


async def test_get_incubator_or_not_found():
    uow, deps = world()
    uow.incubators.seed(incubator(deps))
    assert (await handlers.handle(c.GetIncubator(ENTERPRISE, "inc-1"), deps)).name == "Univ incubator"
    with pytest.raises(NotFound) as missing:
        await handlers.handle(c.GetIncubator(ENTERPRISE, "inc-9"), deps)
    assert missing.value.field == "incubator_id"


async def test_count_incubators_by_region_and_sponsor():
    uow, deps = world()
    tianjin, hebei = incubator(deps, "inc-1", "TIANJIN"), incubator(deps, "inc-2", "HEBEI")
    tianjin.admit("ent-1", "A", "u-1", deps.clock.now())
    tianjin.admit("ent-2", "B", "u-1", deps.clock.now())
    tianjin.release("ent-2", True, "u-1", deps.clock.now())
    uow.incubators.seed(tianjin, hebei)
    counts = await handlers.handle(c.CountIncubators(ENTERPRISE), deps)
    row = {"incubating": 1, "graduated": 1, "left": 0}
    assert counts["by_region"] == [{"key": "HEBEI", "incubators": 1, "incubating": 0, "graduated": 0, "left": 0},
                                   {"key": "TIANJIN", "incubators": 1, **row}]
    assert counts["by_sponsor"] == [{"key": "org-univ", "incubators": 2, **row}]
    only = await handlers.handle(c.CountIncubators(ENTERPRISE, region="HEBEI"), deps)
    assert [r["key"] for r in only["by_region"]] == ["HEBEI"]
    with pytest.raises(InvalidInput) as refused:
        await handlers.handle(c.CountIncubators(ENTERPRISE, region="MARS"), deps)
    assert refused.value.field == "region"
