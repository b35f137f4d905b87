"""Issue 12 item 1 (search): a public achievement shows a caller who is neither its owner nor
an operator the record without its audit trail and without who lodged an objection (the
objection's reason and state stay public during the notice); the owner and operators see all."""

import uuid
from urllib.parse import quote

from tests.support.identity import bearer

OPERATOR = bearer("op-disc", "platform", "BEIJING", "operator")


async def test_strangers_see_no_audit_trail_and_no_objectors(api):
    org = f"org-disc-{uuid.uuid4().hex[:6]}"
    owner = bearer(f"u-{org}", org, "BEIJING", "institution")
    objector = bearer(f"obj-{org}", f"org-rival-{org}", "TIANJIN", "enterprise")
    stranger = bearer(f"s-{org}", f"org-s-{org}", "HEBEI", "buyer")
    word = f"披露{uuid.uuid4().hex[:6]}"
    r = await api.post("/api/v1/achievements", headers=owner, json={
        "title": f"公示可见性 {word}", "field": "5g", "type": "patent", "trl": 6, "keywords": [word], "submit": True})
    assert r.status_code == 201, r.text
    aid = r.json()["achievement_id"]
    assert (await api.post(f"/api/v1/achievements/{aid}/approve", headers=OPERATOR, json={})).status_code == 200
    r = await api.post(f"/api/v1/achievements/{aid}/objections", headers=objector, json={"reason": "权属存在争议"})
    assert r.status_code == 201, r.text

    seen = (await api.get(f"/api/v1/achievements/{aid}", headers=stranger)).json()
    assert seen["status"] == "IN_NOTICE" and seen.get("audit", []) == []
    assert [(o["reason"], o.get("lodged_by", ""), o.get("organisation", "")) for o in seen["objections"]] == [
        ("权属存在争议", "", "")]
    for privileged in (owner, OPERATOR):
        full = (await api.get(f"/api/v1/achievements/{aid}", headers=privileged)).json()
        assert [e["action"] for e in full["audit"]][-1] == "object" and len(full["audit"]) >= 3
        assert full["objections"][0]["lodged_by"] == f"obj-{org}"
    found = (await api.get(f"/api/v1/achievements?q={quote(word)}", headers=stranger)).json()["items"]
    assert [i["achievement"]["achievement_id"] for i in found] == [aid]
    assert found[0]["achievement"].get("audit", []) == []
    assert found[0]["achievement"]["objections"][0].get("lodged_by", "") == ""
