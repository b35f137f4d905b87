"""Issue 12 item 1: what the pull feed shows a partner of each region equals what REST shows
it. The registry decides each event's audience with its own read rules (an extension attribute
of the CloudEvent), so nothing a partner could not read through REST reaches it: a draft
withdrawn before submission, a submission, a rejection, a confidential technology report, a
contract between others; the approval that starts the public notice does, and so does a public
technology report. Every entity is read back through REST as each partner."""

import uuid

import httpx

from tests.conftest import eventually
from tests.gateway.test_region_scoping import head_cursor, ok, read_all
from tests.support.identity import bearer

REG = "bth.registry.v1."
OPERATOR = bearer(f"op-vis-{uuid.uuid4().hex[:6]}", "org-platform", "BEIJING", "operator")
PARTNERS = {region: bearer(f"partner-{region.lower()}-{uuid.uuid4().hex[:6]}", f"org-partner-{region.lower()}",
                           region, "partner") for region in ("TIANJIN", "HEBEI")}
BODY = {"abstract": "可见性测试。", "field": "5g", "type": "patent", "trl": 6, "keywords": ["5G"],
        "transfer_modes": ["licence"], "indicative_price": "1000.00"}


LAST = {"AchievementWithdrawn", "AchievementRejected", "AchievementApproved", "TechReportFiled", "ContractFiled"}


async def _achievement(c, owner, submit: bool) -> str:
    body = BODY | {"title": f"可见性 {uuid.uuid4().hex[:10]}", "submit": submit}
    return ok(await c.post("/api/v1/achievements", headers=owner, json=body), 201)["achievement_id"]


async def _entities(c) -> dict[str, str]:
    """path of each entity (to read it back) → its feed subject."""
    org = f"org-vis-{uuid.uuid4().hex[:6]}"
    owner = bearer(f"u-{org}", org, "BEIJING", "institution")
    withdrawn_draft = await _achievement(c, owner, submit=False)
    ok(await c.post(f"/api/v1/achievements/{withdrawn_draft}/withdraw", headers=owner, json={"note": "x"}))
    submitted = await _achievement(c, owner, submit=True)
    rejected = await _achievement(c, owner, submit=True)
    ok(await c.post(f"/api/v1/achievements/{rejected}/reject", headers=OPERATOR, json={"note": "no"}))
    in_notice = await _achievement(c, owner, submit=True)
    ok(await c.post(f"/api/v1/achievements/{in_notice}/approve", headers=OPERATOR, json={"note": "ok"}))
    reports = {}
    for sharing in ("PUBLIC", "RESTRICTED", "CONFIDENTIAL"):
        reports[sharing] = ok(await c.post("/api/v1/tech-reports", headers=owner, json={
            "achievement_id": in_notice, "title": f"{sharing} 报告", "content": f"BODY-{sharing}",
            "summary": "s", "sharing": sharing}), 201)["report_id"]
    contract = ok(await c.post("/api/v1/contracts", headers=owner, json={
        "type": "licence", "title": f"专利实施许可 {uuid.uuid4().hex[:6]}", "amount": "5", "field": "5g",
        "buyer": {"organisation": f"buyer-{uuid.uuid4().hex[:6]}", "name": "天津某公司", "region": "TIANJIN"}}),
        201)["contract_id"]
    return {f"/api/v1/achievements/{a}": a for a in (withdrawn_draft, submitted, rejected, in_notice)} | {
        f"/api/v1/tech-reports/{r}": r for r in reports.values()} | {f"/api/v1/contracts/{contract}": contract}


async def test_the_feed_shows_each_partner_exactly_what_rest_shows_it(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
        start = await head_cursor(c)
        entities = await _entities(c)
        subjects = set(entities.values())

        async def operator_sees_all():   # every entity, and each one's last event (the feed ingests
            # the topics' partitions side by side: a later entity's event may be in before an earlier one's)
            items = [e for e in await read_all(c, OPERATOR, start) if e["subject"] in subjects]
            types = {e["type"].removeprefix(REG) for e in items}
            return items if {e["subject"] for e in items} == subjects and LAST <= types else None
        everything = await eventually(operator_sees_all, timeout=30)
        types = {e["type"].removeprefix(REG) for e in everything}
        assert types >= LAST | {"AchievementDrafted", "AchievementSubmitted"}
        for region, headers in PARTNERS.items():
            seen = {e["subject"] for e in await read_all(c, headers, start) if e["subject"] in subjects}
            readable = {subject for path, subject in entities.items()
                        if (await c.get(path, headers=headers)).status_code == 200}
            assert seen == readable, region
            assert len(readable) == 3, region   # the approved achievement, the public and restricted reports
