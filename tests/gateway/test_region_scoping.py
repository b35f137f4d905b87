"""Region scoping of the partner pull feed (`GET /api/v1/events`) for procurement and
incubation events, as each owning service decides it (services/*/service_layer/audience.py,
the read rules of its own queries): a Tianjin and a Hebei partner each see exactly the events
of the entities this test creates that REST would show them; operators see all of them.

- procurement catalog: a HEBEI vendor's application under review (REST: 404 to partners) →
  neither; the LISTED product is public catalog → both; demands are platform-wide → both
  (published, ranked by matching, awarded); an award names buyer + vendor regions → those only;
- incubation: a BEIJING → HEBEI green-channel case → Hebei only, a BEIJING → TIANJIN case →
  Tianjin only; stations (REST: readable by everyone) → both;
- a registry draft (AchievementDrafted) → neither partner."""

import uuid
from datetime import timedelta

import httpx

from tests.conftest import eventually
from tests.incubation.support import registered_achievement as incubation_achievement
from tests.incubation.support import uid
from tests.procurement.support import registered_achievement
from tests.support.identity import bearer

PROC, INC, REG = "bth.procurement.v1.", "bth.incubation.v1.", "bth.registry.v1."
OPERATOR = bearer(f"op-scope-{uuid.uuid4().hex[:6]}", "org-platform", "BEIJING", "operator")


def person(region: str, role: str) -> dict:
    tag = uuid.uuid4().hex[:8]
    return bearer(f"{role}-{tag}", f"org-{role}-{tag}", region, role)


def org_of(headers: dict) -> str:
    import jwt
    return jwt.decode(headers["Authorization"].split()[1], options={"verify_signature": False})["org"]


def ok(r: httpx.Response, status: int = 200) -> dict:
    assert r.status_code == status, (r.status_code, r.text)
    return r.json()


async def head_cursor(c: httpx.AsyncClient) -> str:
    """The feed's current end (cursors are positions in the one feed, valid for every reader)."""
    cursor = ""
    while True:
        body = ok(await c.get("/api/v1/events", headers=OPERATOR, params={"after": cursor, "limit": 500}))
        if not body["items"]:
            return cursor
        cursor = body["next_cursor"]


async def read_all(c: httpx.AsyncClient, headers: dict, after: str) -> list[dict]:
    items, cursor = [], after
    while True:
        body = ok(await c.get("/api/v1/events", headers=headers, params={"after": cursor, "limit": 500}))
        if not body["items"]:
            return items
        items.extend(body["items"])
        cursor = body["next_cursor"]


def by_subject(events: list[dict], subjects: dict[str, str]) -> dict[str, list[str]]:
    """{label: [event types in feed order]} for the entities of this test."""
    out: dict[str, list[str]] = {label: [] for label in subjects.values()}
    for e in events:
        if e["subject"] in subjects:
            out[subjects[e["subject"]]].append(e["type"])
    return out


async def catalog_entities(c, platform) -> dict[str, str]:
    tag = uuid.uuid4().hex[:8]
    vendor, buyer = person("HEBEI", "enterprise"), person("BEIJING", "buyer")
    aid = await registered_achievement(platform, f"冀产新材料 {tag}", ["新材料"], field="new-materials",
                                       region="HEBEI")
    product = ok(await c.post("/api/v1/procurement/products", headers=vendor, json={
        "name": f"高强轻质复合材料 {tag}", "category": "new-materials", "description": "复合材料 轻量化",
        "price": "300000.00", "region": "HEBEI", "indicators": [], "achievement_ids": [aid]}), 201)
    pid = product["product_id"]
    for score in (80, 70, 90):
        listed = ok(await c.post(f"/api/v1/procurement/products/{pid}/reviews", headers=person("BEIJING", "expert"),
                                 json={"score": score, "opinion": "sound"}))
    assert listed["status"] == "LISTED"
    demand = ok(await c.post("/api/v1/procurement/demands", headers=buyer, json={
        "need": f"采购复合材料 {tag}", "category": "new-materials", "budget": "400000.00",
        "deadline": (platform.clock.now() + timedelta(days=20)).isoformat(), "region": "BEIJING"}), 201)
    await ranked(c, buyer, demand["demand_id"], {pid, aid})
    award = ok(await c.post("/api/v1/procurement/awards", headers=buyer, json={
        "demand_id": demand["demand_id"], "product_id": pid, "amount": "300000.00",
        "award_date": platform.clock.now().isoformat()}), 201)
    return {pid: "product", demand["demand_id"]: "demand", award["award_id"]: "award"}


async def ranked(c, buyer: dict, demand_id: str, refs: set[str]) -> None:
    """Matching ranks an open demand in a consumer, racing the award that closes it (so a run had
    DemandSuggestionsUpdated or not): award only once the suggestions name our product and achievement."""
    async def named():
        body = ok(await c.get(f"/api/v1/procurement/demands/{demand_id}/suggestions", headers=buyer))
        return refs <= {i["ref_id"] for i in body.get("items", [])}
    await eventually(named, timeout=20, interval=0.2)


async def emitted(platform, key: str) -> list[str]:
    """The event types procurement wrote for `key`, in order (its outbox): what the feed must carry."""
    records = await platform.hosts["procurement"].db["outbox"].find({"key": key}).sort("_id", 1).to_list()
    return [r["type"] for r in records]


async def green_channel_case(c, platform, region: str) -> tuple[str, str]:
    """An ACCEPTED BEIJING → `region` case at an active station of `region`: (station_id, case_id)."""
    station = person(region, "station")
    applied = ok(await c.post("/api/v1/incubation/stations", headers=station, json={
        "name": f"合作站 {uid()}", "region": region, "services": ["testing", "technology_transfer"]}), 201)
    ok(await c.post(f"/api/v1/incubation/stations/{applied['station_id']}/approve", headers=OPERATOR, json={}))
    holder, receiver = person("BEIJING", "institution"), person(region, "enterprise")
    achievement_id = await incubation_achievement(platform, org_of(holder), "BEIJING", field="eco-environment")
    case = ok(await c.post("/api/v1/incubation/cases", headers=holder, json={
        "achievement_id": achievement_id, "station_id": applied["station_id"], "transfer_mode": "licence",
        "services": ["technology_trading"], "receiver": {"organisation": org_of(receiver), "name": f"企业 {uid()}",
                                                         "region": region, "kind": "ENTERPRISE"}}), 201)
    assert sorted(case["regions"]) == sorted({"BEIJING", region})
    ok(await c.post(f"/api/v1/incubation/cases/{case['case_id']}/accept", headers=station, json={}))
    return applied["station_id"], case["case_id"]


async def draft_achievement(c) -> str:
    run = uuid.uuid4().hex[:10]
    owner = bearer(f"inst-{run}", f"org-scope-{run}", "BEIJING", "institution")
    title = "".join("零一二三四五六七八九甲乙丙丁戊己"[int(ch, 16)] for ch in run) + "区域可见性草稿"
    body = {"title": title, "abstract": "draft", "field": "5g", "type": "patent", "trl": 5, "keywords": ["5G"],
            "transfer_modes": ["licence"], "indicative_price": "100000.00", "submit": False}
    return ok(await c.post("/api/v1/achievements", headers=owner, json=body), 201)["achievement_id"]


async def test_partners_see_catalog_and_case_events_by_region(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=20) as c:
        tianjin, hebei = person("TIANJIN", "partner"), person("HEBEI", "partner")
        start = await head_cursor(c)
        subjects = await catalog_entities(c, platform)
        hb_station, hb_case = await green_channel_case(c, platform, "HEBEI")
        tj_station, tj_case = await green_channel_case(c, platform, "TIANJIN")
        draft = await draft_achievement(c)
        subjects |= {hb_station: "hebei_station", hb_case: "hebei_case", tj_station: "tianjin_station",
                     tj_case: "tianjin_case", draft: "draft"}

        review = PROC + "ProductReviewed"
        everything = {
            "product": [PROC + "ProductApplied", review, review, review, PROC + "ProductListed"],
            "demand": await emitted(platform, next(k for k, v in subjects.items() if v == "demand")),
            "award": [PROC + "AwardMade"],
            "hebei_station": [INC + "StationApplied", INC + "StationApproved"],
            "hebei_case": [INC + "CaseSubmitted", INC + "CaseAccepted"],
            "tianjin_station": [INC + "StationApplied", INC + "StationApproved"],
            "tianjin_case": [INC + "CaseSubmitted", INC + "CaseAccepted"],
            "draft": [REG + "AchievementDrafted"]}

        async def relayed():
            seen = by_subject(await read_all(c, OPERATOR, start), subjects)
            return seen if all(len(seen[k]) >= len(v) for k, v in everything.items()) else None
        published, *ranking, awarded = everything["demand"]   # the award closed the demand: no ranking after it
        assert (published, set(ranking), awarded) == (
            PROC + "DemandPublished", {PROC + "DemandSuggestionsUpdated"}, PROC + "DemandAwarded")
        try:
            seen = await eventually(relayed, timeout=20, interval=0.5)
        except AssertionError:
            seen = by_subject(await read_all(c, OPERATOR, start), subjects)
        assert seen == everything                                       # the operator sees every event

        stations = {"hebei_station": everything["hebei_station"], "tianjin_station": everything["tianjin_station"]}
        hebei_sees = {**{k: [] for k in everything}, "product": [PROC + "ProductListed"],
                      "demand": everything["demand"], "award": everything["award"], **stations,
                      "hebei_case": everything["hebei_case"]}
        tianjin_sees = {**{k: [] for k in everything}, "product": [PROC + "ProductListed"],
                        "demand": everything["demand"], **stations, "tianjin_case": everything["tianjin_case"]}
        assert by_subject(await read_all(c, hebei, start), subjects) == hebei_sees
        assert by_subject(await read_all(c, tianjin, start), subjects) == tianjin_sees

        # the same rule with a type filter: only the listed product's public event reaches Tianjin
        r = ok(await c.get("/api/v1/events", headers=tianjin, params={
            "after": start, "limit": 500, "type": [PROC + "ProductApplied", PROC + "ProductListed"]}))
        assert [(e["type"], e["subject"]) for e in r["items"] if e["subject"] in subjects] == [
            (PROC + "ProductListed", next(k for k, v in subjects.items() if v == "product"))]
        listed = next(e for e in r["items"] if e["subject"] in subjects)
        assert listed["data"]["product"]["status"] == "LISTED"
