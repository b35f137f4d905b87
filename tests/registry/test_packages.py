"""Achievement packages: an operator curates versioned bundles of registered achievements of
one key field; publishing a version is an event (bth.registry.package.v1) with its contents."""

import uuid

from aiokafka import AIOKafkaConsumer

from bth.registry.v1 import package_pb2
from tests.conftest import eventually
from tests.support.identity import bearer

OPERATOR = bearer("op-1", "platform", "BEIJING", "operator")


async def registered(api, platform, headers, field: str, n: int) -> list[str]:
    ids = []
    for i in range(n):
        r = await api.post("/api/v1/achievements", headers=headers, json={
            "title": f"节水灌溉系统 {i} {uuid.uuid4().hex[:6]}", "field": field, "type": "process", "trl": 6 + i,
            "submit": True})
        assert r.status_code == 201, r.text
        ids.append(r.json()["achievement_id"])
        await api.post(f"/api/v1/achievements/{ids[-1]}/approve", headers=OPERATOR)
    platform.clock.advance(days=31)
    r = await api.post("/api/v1/registry/notices/conclude", headers=OPERATOR)
    assert r.status_code == 200, r.text   # (the worker's notice timer may have registered some first)
    for achievement_id in ids:
        got = await api.get(f"/api/v1/achievements/{achievement_id}", headers=headers)
        assert got.json()["status"] == "REGISTERED", got.text
    return ids


async def test_packages_are_versioned_and_published_with_contents(api, platform, kafka_settings):
    org = f"org-{uuid.uuid4().hex[:8]}"
    me = bearer(f"user-{org}", org, "HEBEI", "institution")
    a1, a2 = await registered(api, platform, me, "agriculture", 2)
    draft = (await api.post("/api/v1/achievements", headers=me, json={
        "title": f"未登记 {uuid.uuid4().hex[:6]}", "field": "agriculture", "type": "process", "trl": 3})).json()
    other = (await registered(api, platform, me, "energy", 1))[0]
    assert (await api.post("/api/v1/packages", json={"field": "agriculture", "title": "x"},
                           headers=me)).status_code == 403
    bad = await api.post("/api/v1/packages", json={"field": "astrology", "title": "x"}, headers=OPERATOR)
    assert bad.status_code == 400 and bad.json()["field"] == "field"
    r = await api.post("/api/v1/packages", json={"field": "agriculture", "title": "现代农业成果包",
                                                 "description": "节水与种植"}, headers=OPERATOR)
    assert r.status_code == 201, r.text
    pid = r.json()["package_id"]
    for wrong in ([draft["achievement_id"]], [other], [a1, a1], ["nope"]):
        r = await api.post(f"/api/v1/packages/{pid}/versions", json={"achievement_ids": wrong}, headers=OPERATOR)
        assert r.status_code == 400 and r.json()["field"] == "achievement_ids", (wrong, r.text)
    r = await api.post(f"/api/v1/packages/{pid}/versions", json={"achievement_ids": [a1]}, headers=OPERATOR)
    assert r.status_code == 201 and [v["number"] for v in r.json()["versions"]] == [1]
    r = await api.post(f"/api/v1/packages/{pid}/versions", json={"achievement_ids": [a2, a1], "note": "春季"},
                       headers=OPERATOR)
    got = (await api.get(f"/api/v1/packages/{pid}", headers=me)).json()
    assert got == r.json() and got["version"] == "3"
    assert [[i["achievement_id"] for i in v.get("items", [])] for v in got["versions"]] == [[a1], [a2, a1]]
    assert all(i["registration_number"] and i["region"] == "HEBEI" for i in got["versions"][1]["items"])

    consumer = AIOKafkaConsumer("bth.registry.package.v1", group_id=f"t-{uuid.uuid4()}",
                                auto_offset_reset="earliest", **kafka_settings.client_options())
    await consumer.start()
    try:
        mine = []

        async def read():
            batch = await consumer.getmany(timeout_ms=500)
            mine.extend(r for rs in batch.values() for r in rs if r.key == pid.encode())
            return len(mine) >= 3
        await eventually(read)
    finally:
        await consumer.stop()
    types = [dict(r.headers)["ce_type"].decode().rsplit(".", 1)[-1] for r in mine]
    assert types == ["PackageCreated", "PackageVersionPublished", "PackageVersionPublished"]
    last = package_pb2.PackageVersionPublished.FromString(mine[2].value)
    assert last.contents.number == 2 and [i.achievement_id for i in last.contents.items] == [a2, a1]
    assert last.package.version == 3 and last.note == "春季"
