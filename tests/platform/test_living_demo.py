"""Issue 13 item 1: `make run` starts with the living demo (services/demo), created through the
REST API on a fresh data directory and never twice; and the development clock walks a new
achievement from draft through its 30-day notice to REGISTERED in well under a minute."""

import time
import uuid
from datetime import datetime

import httpx
from pymongo import MongoClient

from services import devinfra
from services.common import mongo
from services.demo import data, seeder
from services.gateway.seed import dev_secret
from tests.conftest import eventually
from tests.support.identity import bearer
from tests.support.living_demo import living_demo, observe  # noqa: F401 - the session fixture

REGISTERED = {"BEIJING": 6, "TIANJIN": 4, "HEBEI": 4}
CATALOG = ["5G小基站射频前端模组", "乳制品兽药残留快速检测试剂盒", "城市地下管网数字孪生监测平台",
           "智能数控机床远程运维系统", "轨道交通轴承在线声学诊断装备"]
STAGES = ["ACCEPTED", "ACCEPTED", "APPROVED", "CLOSED", "LANDED", "REJECTED", "REVIEWED", "SUBMITTED", "WITHDRAWN"]


def test_right_after_start_the_platform_shows_the_demo(living_demo):  # noqa: F811
    assert living_demo.first_line.startswith("Demo data: seeded 16 achievements, 7 contracts, 6 products"), \
        living_demo.first_line
    look = living_demo.first_look
    assert look["registered_by_region"] == REGISTERED
    assert REGISTERED == {r: sum(1 for _, region, status, _ in data.ACHIEVEMENTS
                                 if region == r and status == "REGISTERED") for r in REGISTERED}
    assert look["catalog"] == CATALOG
    assert look["first_set"] == ["轨道交通轴承在线声学诊断装备"]
    # 6 registered contracts, the award, 2 landed cases and 1 transformation; 6 region pairs
    assert look["trading_map"] == {"count": 10, "routes": 6}
    assert look["ranking"] == ["首都科技条件平台河北保定合作站", "首都科技条件平台天津滨海合作站"]
    assert look["case_stages"] == STAGES                          # every stage of the green channel
    assert look["overdue"] == ["五轴数控机床远程运维与预测性维护方法"]     # exactly one case past its SLA


def test_work_waits_for_people(living_demo):  # noqa: F811
    mongo = MongoClient(f"mongodb://127.0.0.1:{living_demo.ports['mongo-procurement']}/?directConnection=true")
    try:
        products = mongo["procurement"]["products"]
        waiting = [p for p in products.find({"status": "UNDER_REVIEW"})]
        demand = mongo["procurement"]["demands"].find_one({"status": "OPEN"})
    finally:
        mongo.close()
    assert [(p["name"], sorted(r["expert"] for r in p["reviews"])) for p in waiting] == [
        ("钢铁烧结烟气超低排放治理成套装备", ["demo-expert-2", "demo-expert-3"])]   # demo-expert's score decides
    with httpx.Client(base_url=living_demo.url, timeout=30) as c:
        product = c.get(f"/api/v1/procurement/products/{waiting[0]['_id']}", headers=living_demo.token("demo-expert"))
        assert product.status_code == 200 and product.json()["status"] == "UNDER_REVIEW"
        suggestions = c.get(f"/api/v1/procurement/demands/{demand['_id']}/suggestions",
                            headers=living_demo.token("demo-buyer"))
    assert suggestions.status_code == 200, suggestions.text
    assert suggestions.json()["items"][0]["title"] == "城市地下管网数字孪生监测平台"


def test_a_restart_creates_nothing_new(living_demo):  # noqa: F811
    before = observe(living_demo)
    line = living_demo.restart()
    assert line.startswith("Demo data: present (seeded "), line
    assert observe(living_demo) == before


async def test_the_dev_clock_walks_an_achievement_through_its_notice(living_demo):  # noqa: F811
    started = time.monotonic()
    owner = bearer("walker", f"org-walk-{uuid.uuid4().hex[:8]}", "BEIJING", "institution")
    operator = living_demo.token("demo-operator")
    async with httpx.AsyncClient(base_url=living_demo.url, timeout=30) as c:
        drafted = await c.post("/api/v1/achievements", headers=owner, json={
            "title": f"钙钛矿叠层光伏组件 {uuid.uuid4().hex[:6]}", "field": "energy", "type": "patent", "trl": 6})
        assert drafted.status_code == 201, drafted.text
        aid = drafted.json()["achievement_id"]
        assert (drafted.json()["status"], drafted.json()["version"]) == ("DRAFT", "1")
        submitted = (await c.post(f"/api/v1/achievements/{aid}/submit", headers=owner)).json()
        assert (submitted["status"], submitted["version"]) == ("SUBMITTED", "2")
        approved = (await c.post(f"/api/v1/achievements/{aid}/approve", headers=operator)).json()
        assert (approved["status"], approved["version"]) == ("IN_NOTICE", "3")

        step = await c.post("/api/v1/dev/clock", headers=operator, json={"days": 29})
        assert step.status_code == 200, step.text
        assert aid not in step.json()["applied"].get("notices_concluded", [])
        still = (await c.get(f"/api/v1/achievements/{aid}", headers=owner)).json()
        assert (still["status"], still["version"]) == ("IN_NOTICE", "3")

        step = await c.post("/api/v1/dev/clock", headers=operator, json={"days": 1, "hours": 1})
        assert step.status_code == 200, step.text

        async def registered():   # by this sweep, or by the registry's own timer a moment before it
            body = (await c.get(f"/api/v1/achievements/{aid}", headers=owner)).json()
            return body if body["status"] == "REGISTERED" else None
        done = await eventually(registered, timeout=30)
        assert done["version"] == "4" and done["registration_number"]
        audit = (await c.get(f"/api/v1/achievements/{aid}/audit", headers=owner)).json()
    assert [(e["action"], e["to_state"]) for e in audit["entries"]] == [
        ("draft", "DRAFT"), ("submit", "SUBMITTED"), ("approve", "IN_NOTICE"), ("register", "REGISTERED")]
    assert time.monotonic() - started < 60



def test_the_demo_is_on_unless_turned_off_and_only_for_a_fresh_data_directory(tmp_path):
    assert seeder.enabled({}) and seeder.enabled({"DEV_DEMO_DATA": "on"})
    assert not any(seeder.enabled({"DEV_DEMO_DATA": v}) for v in ("off", "OFF", "false", "0", "no"))
    assert seeder.fresh(tmp_path)
    (tmp_path / "registry.sqlite").write_bytes(b"")
    assert not seeder.fresh(tmp_path)


async def test_seeding_is_skipped_when_the_marker_says_so_or_the_data_is_old(mongo_settings):
    """No HTTP call at all (the URL is a closed port): the marker, or old data, decides."""
    client = mongo.connect(mongo_settings.uri)
    db = client[f"demo-{uuid.uuid4().hex[:8]}"]
    closed = f"http://127.0.0.1:{devinfra.free_port()}"
    try:
        assert (await seeder.seed(closed, db, is_fresh=False)).startswith("Demo data: not seeded")
        assert await db["dev_demo"].count_documents({}) == 0
        await db["dev_demo"].insert_one({**seeder.MARKER, "state": "seeding"})
        assert (await seeder.seed(closed, db, is_fresh=True)).startswith("Demo data: INCOMPLETE")
        await db["dev_demo"].update_one(seeder.MARKER, {"$set": {"state": "done",
                                                                "finished_at": datetime(2026, 12, 6, 9, 30)}})
        assert await seeder.seed(closed, db, is_fresh=True) == \
            "Demo data: present (seeded 2026-12-06 09:30 UTC); nothing created"
    finally:
        await client.drop_database(db.name)
        await client.close()


async def test_partners_see_the_demo_in_their_feed(living_demo):  # noqa: F811
    """Created through the API, the demo's events reach partners like any others."""
    registered_in_tianjin = {body["title"] for _, region, status, body in data.ACHIEVEMENTS
                             if region == "TIANJIN" and status == "REGISTERED"}
    async with httpx.AsyncClient(base_url=living_demo.url, timeout=30) as c:
        token = (await c.post("/api/v1/oauth/token", data={
            "grant_type": "client_credentials", "client_id": "tianjin-partner",
            "client_secret": dev_secret("tianjin-partner")})).json()["access_token"]

        async def seen():
            r = await c.get("/api/v1/events", headers={"Authorization": f"Bearer {token}"},
                            params={"type": "bth.registry.v1.AchievementRegistered", "limit": 500})
            titles = {e["data"]["achievement"]["title"] for e in r.json()["items"]}
            return registered_in_tianjin <= titles
        assert await eventually(seen, timeout=30)
