"""The duplicate check reads title claims by `_id` (services/registry/adapters/title_claims.py):
a withdrawn or re-titled achievement frees its title, a store that predates the claims gets them
at start-up, and a claim left behind by hand never refuses a registration."""

from services.registry.adapters import title_claims
from tests.registry.test_lifecycle_api import body, owner


async def _draft(api, me, record) -> tuple[int, str]:
    r = await api.post("/api/v1/achievements", json=record, headers=me)
    return r.status_code, r.json().get("achievement_id") or r.json()["field"]


async def _claims(db, org: str, record: dict) -> list[str]:
    doc = await db[title_claims.COLLECTION].find_one(
        {"_id": title_claims.key(org, record["title"], record["funding"]["project_code"])})
    return doc["ids"] if doc else []


async def test_withdrawal_and_revision_free_the_title(api, platform):
    org, me = owner()
    db = platform.hosts["registry"].db
    first = body()
    assert (status := await _draft(api, me, first))[0] == 201
    a1 = status[1]
    assert await _claims(db, org, first) == [a1]
    assert await _draft(api, me, first) == (409, "title")
    r = await api.post(f"/api/v1/achievements/{a1}/withdraw", json={"note": "merged"}, headers=me)
    assert r.status_code == 200
    assert await _claims(db, org, first) == []
    code, a2 = await _draft(api, me, first)
    assert code == 201 and await _claims(db, org, first) == [a2]
    renamed = {**first, "title": first["title"] + " II"}
    r = await api.patch(f"/api/v1/achievements/{a2}", json={"title": renamed["title"]}, headers=me)
    assert r.status_code == 200, r.text
    assert await _claims(db, org, first) == [] and await _claims(db, org, renamed) == [a2]
    assert await _draft(api, me, renamed) == (409, "title")
    code, a3 = await _draft(api, me, first)
    assert code == 201 and await _claims(db, org, first) == [a3]
    r = await api.patch(f"/api/v1/achievements/{a3}", json={"title": renamed["title"]}, headers=me)
    assert r.status_code == 409 and r.json()["field"] == "title"
    assert await _claims(db, org, first) == [a3] and await _claims(db, org, renamed) == [a2]


async def test_a_store_without_claims_gets_them_and_a_stale_claim_refuses_nothing(api, platform):
    org, me = owner()
    db = platform.hosts["registry"].db
    record, other = body(), body()
    code, aid = await _draft(api, me, record)
    assert code == 201
    await db[title_claims.COLLECTION].delete_one({"_id": title_claims.key(org, record["title"], "Z2026-001")})
    await db["counters"].delete_one({"_id": title_claims.BUILT})
    await title_claims.create_indexes(db)   # what a registry starting on an older store runs
    assert await _claims(db, org, record) == [aid]
    assert await _draft(api, me, record) == (409, "title")
    stale = title_claims.key(org, other["title"], "Z2026-001")
    await db[title_claims.COLLECTION].update_one({"_id": stale}, {"$set": {"ids": [aid]}}, upsert=True)
    code, fresh = await _draft(api, me, other)
    assert code == 201 and await _claims(db, org, other) == [aid, fresh]
