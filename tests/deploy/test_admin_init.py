"""`python -m services.admin init` (the chart's pre-install/pre-upgrade hook) against the real
broker and Mongo-wire server: it creates, in the databases it is told, exactly the indexes
that each process creates for itself when it starts (read from the running platform's own
databases), and running it twice changes nothing."""

import pytest
from pymongo import AsyncMongoClient

from services import admin
from services.common.settings import ServiceSettings


async def index_specs(db) -> dict[str, set[tuple]]:
    """collection -> {(key, unique)} of every index but _id's."""
    specs = {}
    for name in await db.list_collection_names():
        info = await db[name].index_information()
        found = {(tuple(tuple(k) for k in ix["key"]), bool(ix.get("unique"))) for n, ix in info.items() if n != "_id_"}
        if found:
            specs[name] = found
    return specs


@pytest.fixture(scope="module")
def admin_settings(infra) -> ServiceSettings:
    # one server for the four databases, as in production (the hook's URI reaches them all)
    return ServiceSettings(service_name="admin", kafka={"bootstrap_servers": infra["kafka"]},
                           mongo={"uri": infra["mongo_by_service"]["gateway"]})


async def test_admin_init_creates_the_indexes_of_all_four_databases(platform, infra, admin_settings):
    databases = {service: f"admin-init-{service}" for service in admin.SERVICES}
    await admin.init(admin_settings, databases)
    admin_client = AsyncMongoClient(admin_settings.mongo.uri)
    try:
        created = {s: await index_specs(admin_client[db]) for s, db in databases.items()}
        await admin.init(admin_settings, databases)  # idempotent
        assert {s: await index_specs(admin_client[db]) for s, db in databases.items()} == created
    finally:
        await admin_client.close()
    for service in admin.SERVICES:
        own = AsyncMongoClient(infra["mongo_by_service"][service])
        try:
            by_the_process = await index_specs(own[service])
        finally:
            await own.close()
        assert by_the_process, f"{service}: the running process created no index"
        assert created[service] == by_the_process, service
    assert {"outbox", "achievements"} <= set(created["registry"])
    assert {"outbox", "products", "demands"} <= set(created["procurement"])
    assert {"outbox", "stations", "cases"} <= set(created["incubation"])
    assert {"idempotency", "accounts"} <= set(created["gateway"])


@pytest.mark.parametrize("argument", ["registry", "billing=billing", "registry="])
def test_admin_init_refuses_a_malformed_database_argument(argument, capsys):
    with pytest.raises(SystemExit) as exited:
        admin.main(["init", "--database", argument])
    assert exited.value.code == 2
    assert "expected SERVICE=NAME with SERVICE one of registry, procurement, incubation, gateway" in \
        capsys.readouterr().err
