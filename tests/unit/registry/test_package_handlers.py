"""Achievement package handlers on fakes: create, publish a version from the registry's own
records, get (exact outcomes; refusals leave state unchanged)."""

import pytest

from services.common.errors import Forbidden, InvalidInput, NotFound
from services.registry.domain import commands as c
from services.registry.service_layer import handlers
from tests.unit.registry.lifecycle_world import OPERATOR, UNIV, drafted, registered, world


async def test_an_operator_creates_a_package_and_publishes_numbered_versions():
    uow, deps = world()
    uow.achievements.seed(registered(deps, "ach-1"), registered(deps, "ach-2", 2, title="第二个成果"))
    p = await handlers.handle(c.CreatePackage(OPERATOR, "5g", "5G bundle", "chips"), deps)
    v1 = await handlers.handle(c.PublishPackageVersion(OPERATOR, p.package_id, ["ach-2", "ach-1"], "first"), deps)
    v2 = await handlers.handle(c.PublishPackageVersion(OPERATOR, p.package_id, ["ach-1"]), deps)
    assert [v.number for v in v2.versions] == [1, 2] and v2.version == 3
    assert [i.achievement_id for i in v1.versions[0].items] == ["ach-2", "ach-1"]
    assert v1.versions[0].items[1].registration_number == "110000-2026-P-000001"
    assert uow.event_names() == ["PackageCreated", "PackageVersionPublished", "PackageVersionPublished"]
    got = await handlers.handle(c.GetPackage(UNIV, p.package_id), deps)
    assert (got.title, len(got.versions)) == ("5G bundle", 2)


@pytest.mark.parametrize(("ids", "field", "says"), [
    (["ach-9"], "achievement_ids", "ach-9 does not exist"),
    (["ach-3"], "achievement_ids", "DRAFT, not REGISTERED"),
    (["ach-4"], "achievement_ids", "of field 'ai'"),
    (["ach-1", "ach-1"], "achievement_ids", "repeat"),
    ([], "achievement_ids", "1 to 500"),
])
async def test_a_refused_publication_leaves_the_package_unchanged(ids, field, says):
    uow, deps = world()
    uow.achievements.seed(registered(deps, "ach-1"), drafted(deps, "ach-3", title="草稿"),
                          registered(deps, "ach-4", 2, title="AI", field="ai"))
    p = await handlers.handle(c.CreatePackage(OPERATOR, "5g", "5G bundle"), deps)
    before = dict(uow.packages.items)
    with pytest.raises(InvalidInput) as refused:
        await handlers.handle(c.PublishPackageVersion(OPERATOR, p.package_id, ids), deps)
    assert refused.value.field == field and says in refused.value.message
    assert uow.packages.items == before and uow.event_names() == ["PackageCreated"]


async def test_only_operators_curate_and_unknown_packages_are_not_found():
    uow, deps = world()
    with pytest.raises(Forbidden):
        await handlers.handle(c.CreatePackage(UNIV, "5g", "mine"), deps)
    with pytest.raises(NotFound) as missing:
        await handlers.handle(c.GetPackage(OPERATOR, "pkg-9"), deps)
    assert missing.value.field == "package_id" and uow.packages.items == {} and uow.committed == 0
