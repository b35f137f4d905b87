"""The console in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright, one
browser for the module, a fresh context per test): a buyer signs in, searches the catalog in
Chinese, sees a product's registry evidence and listing term, publishes a demand, awards the
suggested product and sees the award; an expert scores an application; an operator sees an
overdue green-channel case highlighted and the trading map drawn from REST's numbers. The data
is made through the REST API; time moves on the platform's controllable clock."""

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest_asyncio
from playwright.async_api import async_playwright, expect

from tests.conftest import eventually
from tests.console.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    OPERATOR,
    PRODUCTS,
    applied_product,
    listed_product,
    person,
    shot,
    sign_in,
    sign_in_by_keyboard,
    tag,
)
from tests.incubation.support import registered_achievement as holder_achievement
from tests.support.identity import bearer

BEIJING = timezone(timedelta(hours=8))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser():
    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser):
    context = await browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 860})
    tab = await context.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    await context.close()


async def test_buyer_searches_in_chinese_publishes_a_demand_awards_and_sees_the_award(api, platform, page):
    base, t = platform.gateway_url, tag()
    vendor, buyer = await person(api, "enterprise", "TIANJIN"), await person(api, "buyer", "BEIJING")
    name = f"智能数控机床远程运维系统 {t}"
    product = await listed_product(api, platform, vendor, name, "advanced-manufacturing", ["数控机床", "远程运维", t])
    pid = product["product_id"]
    platform.clock.advance(seconds=60)   # the award is dated after the listing began

    await sign_in(page, base, buyer)
    await expect(page.locator("#me")).to_have_text(buyer.username)
    await shot(page, "home")
    await page.get_by_role("navigation").get_by_role("link", name="产品目录").click()
    await page.get_by_label("关键词").fill(f"数控机床 {t}")
    await page.get_by_label("类别").select_option("advanced-manufacturing")
    await page.get_by_role("button", name="搜索").click()
    rows = page.locator("#results tr.product-row")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(name)
    await expect(rows.first).to_contain_text("天津")
    await shot(page, "catalog")

    await rows.first.get_by_role("link", name=name).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(name)
    evidence = page.locator("#evidence tbody tr")
    await expect(evidence).to_have_count(1)
    await expect(evidence.first).to_contain_text("FIXTURE-")
    await expect(evidence.first).to_contain_text("已登记")
    await expect(page.locator("#listing-term")).to_contain_text(product["valid_until"][:10])
    await shot(page, "product")

    await page.get_by_role("navigation").get_by_role("link", name="发布需求").click()
    await page.get_by_label("需求描述").fill(f"采购智能数控机床远程运维系统 {t}")
    await page.get_by_label("类别").select_option("advanced-manufacturing")
    await page.get_by_label("预算（元）").fill("1000000.00")
    await page.get_by_label("截止日期").fill((platform.clock.now() + timedelta(days=30)).astimezone(BEIJING)
                                          .date().isoformat())
    await page.get_by_label("地区").select_option("BEIJING")
    await shot(page, "demand-new")
    await page.get_by_role("button", name="发布").click()
    await page.wait_for_url(re.compile(r"/console/demands/[^/]+$"))
    demand_id = page.url.rsplit("/", 1)[1]

    first = page.locator("#suggestions li.suggestion").first   # htmx polls until the matcher has ranked
    await expect(first).to_have_attribute("data-ref", pid)
    await expect(first).to_contain_text("类别相同")
    await shot(page, "demand")
    await first.get_by_label("金额（元）").fill("850000.00")
    await first.get_by_label("成交日期").fill(platform.clock.now().astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M:%S"))
    await first.get_by_role("button", name="成交").click()
    await expect(page.locator("#award-made")).to_contain_text(pid)
    await expect(page.locator("#award-amount")).to_have_text("850000.00")
    await shot(page, "award")
    award_id = await page.locator("#award-made dd").first.inner_text()
    await page.get_by_role("navigation").get_by_role("link", name="我的成交").click()
    mine = page.locator("#awards tbody tr")
    await expect(mine).to_have_count(1)   # a new buyer unit: exactly this award
    await expect(mine.first).to_have_attribute("data-id", award_id)
    await expect(mine.first).to_contain_text("850000.00")

    r = await api.get(f"/api/v1/procurement/demands/{demand_id}", headers=buyer.bearer)
    assert (r.json()["status"], r.json()["organisation"]) == ("AWARDED", buyer.organisation)


async def test_expert_scores_an_application(api, platform, page):
    base, t = platform.gateway_url, tag()
    vendor, expert = await person(api, "enterprise", "HEBEI"), await person(api, "expert")
    product = await applied_product(api, platform, vendor, f"氢能燃料电池堆 {t}", "new-energy", ["燃料电池", t])
    pid = product["product_id"]

    await sign_in_by_keyboard(page, base, expert)
    await page.get_by_role("navigation").get_by_role("link", name="待办队列").click()
    await page.get_by_role("link", name="待评分的入库申请").click()
    await page.get_by_label("地区").select_option("HEBEI")
    await page.get_by_role("button", name="显示").click()
    row = await _row(page, pid)
    await expect(row).to_contain_text(f"氢能燃料电池堆 {t}")
    await row.get_by_label("评分（0–100）").fill("88")
    await row.get_by_label("评审意见").fill("指标先进，具备自主知识产权，同意入库")
    await shot(page, "expert-score")
    await row.get_by_role("button", name="提交评分").click()
    done = page.locator(f'tr.decided[data-id="{pid}"]')   # swapped in place by htmx
    await expect(done).to_contain_text("已处理")
    await page.goto(f"{base}/console/products/{pid}")
    await expect(page.locator("#reviews li")).to_have_text("88 · 指标先进，具备自主知识产权，同意入库")

    reviewed = (await api.get(f"{PRODUCTS}/{pid}", headers=OPERATOR)).json()
    assert [(r["expert"], r["score"]) for r in reviewed["reviews"]] == [(expert.username, 88)]
    assert reviewed["status"] == "UNDER_REVIEW"


async def _row(page, item_id: str):
    """The queue's row of `item_id`, following the next-page links (oldest first: it may be later)."""
    row = page.locator(f'tr[data-id="{item_id}"]')
    while not await row.count():
        await page.get_by_role("link", name="下一页").click()
    return row


async def test_operator_approves_an_achievement_in_place_from_the_review_queue(api, platform, page):
    t = tag()
    institution = bearer(f"inst-{t}", f"org-univ-{t}", "HEBEI", "institution")
    r = await api.post("/api/v1/achievements", headers=institution, json={
        "title": f"盐碱地耐逆小麦新品种 {t}", "abstract": "耐盐碱", "field": "agriculture", "type": "variety",
        "trl": 7, "keywords": ["耐盐碱"], "transfer_modes": ["licence"], "submit": True})
    assert r.status_code == 201 and r.json()["status"] == "SUBMITTED", r.text
    aid = r.json()["achievement_id"]

    await sign_in(page, platform.gateway_url, await person(api, "operator"))
    await page.goto(f"{platform.gateway_url}/console/queues/review?region=HEBEI")
    row = await _row(page, aid)
    await row.get_by_label("备注").fill("材料齐全，同意公示")
    await shot(page, "review-queue")
    await row.get_by_role("button", name="通过").click()
    done = page.locator(f'tr.decided[data-id="{aid}"]')
    await expect(done).to_contain_text("公示中")
    got = (await api.get(f"/api/v1/achievements/{aid}", headers=OPERATOR)).json()
    assert got["status"] == "IN_NOTICE"


async def test_operator_dismisses_an_objection_in_place(api, platform, page):
    t = tag()
    institution = bearer(f"inst-{t}", f"org-univ-{t}", "HEBEI", "institution")
    r = await api.post("/api/v1/achievements", headers=institution, json={
        "title": f"秸秆还田智能农机 {t}", "abstract": "农机", "field": "agriculture", "type": "new_product",
        "trl": 7, "keywords": ["农机"], "transfer_modes": ["licence"], "submit": True})
    aid = r.json()["achievement_id"]
    assert (await api.post(f"/api/v1/achievements/{aid}/approve", headers=OPERATOR, json={})).json()["status"] == \
        "IN_NOTICE"
    objector = bearer(f"ent-{t}", f"org-ent-{t}", "TIANJIN", "enterprise")
    r = await api.post(f"/api/v1/achievements/{aid}/objections", headers=objector,
                       json={"reason": "专利权属存在争议"})
    assert r.status_code == 201, r.text

    await sign_in(page, platform.gateway_url, await person(api, "operator"))
    await page.goto(f"{platform.gateway_url}/console/queues/objections?region=HEBEI")
    row = await _row(page, aid)
    await expect(row).to_contain_text("专利权属存在争议")
    await row.get_by_label("备注").fill("经核实权属清晰，异议不成立")
    await row.get_by_role("button", name="异议不成立").click()
    await expect(page.locator(f'tr.decided[data-id="{aid}"]')).to_contain_text("已处理")
    got = (await api.get(f"/api/v1/achievements/{aid}", headers=OPERATOR)).json()
    assert [(o["status"], o["resolution"]) for o in got["objections"]] == [("DISMISSED", "经核实权属清晰，异议不成立")]


async def _approved_station(api, name: str):
    """A Tianjin station person and the id of their approved cooperation station."""
    station = await person(api, "station", "TIANJIN")
    r = await api.post("/api/v1/incubation/stations", headers=station.bearer,
                       json={"name": f"{name} {tag()}", "region": "TIANJIN", "services": ["testing"]})
    sid = r.json()["station_id"]
    assert (await api.post(f"/api/v1/incubation/stations/{sid}/approve", headers=OPERATOR)).status_code == 200
    return station, sid


async def _case(api, platform, station_id: str) -> dict:
    org = f"org-univ-{tag()}"
    aid = await holder_achievement(platform, org, "BEIJING", field="biomedicine")
    r = await api.post("/api/v1/incubation/cases", headers=bearer(f"inst-{tag()}", org, "BEIJING", "institution"),
                       json={"achievement_id": aid, "station_id": station_id, "transfer_mode": "licence",
                             "services": ["technology_trading"],
                             "receiver": {"organisation": f"org-ent-{tag()}", "name": "津企", "region": "TIANJIN",
                                          "kind": "ENTERPRISE"}})
    assert r.status_code == 201, r.text
    return r.json()


async def test_operator_sees_an_overdue_case_highlighted_and_the_trading_map(api, platform, page):
    base = platform.gateway_url
    station, sid = await _approved_station(api, "天津滨海合作站")
    late = await _case(api, platform, sid)
    due = datetime.fromisoformat(late["stage_due_at"].replace("Z", "+00:00")).astimezone(UTC)
    platform.clock.advance(seconds=(due - platform.clock.now()).total_seconds() + 3600)   # an hour past due
    fresh = await _case(api, platform, sid)

    operator = await person(api, "operator")
    await sign_in(page, base, operator)
    await page.get_by_role("navigation").get_by_role("link", name="绿色通道看板").click()
    await page.goto(f"{base}/console/cases?station_id={sid}")
    overdue = page.locator(f'li.case[data-case="{late["case_id"]}"]')
    await expect(overdue).to_have_attribute("data-sla", "overdue")
    await expect(overdue).to_contain_text("已超期")
    await expect(overdue).to_have_css("background-color", "rgb(253, 231, 229)")
    ok = page.locator(f'li.case[data-case="{fresh["case_id"]}"]')
    await expect(ok).to_have_attribute("data-sla", "ok")
    await expect(ok).to_have_css("background-color", "rgb(255, 255, 255)")
    await shot(page, "cases")

    await page.get_by_role("navigation").get_by_role("link", name="交易地图").click()
    await expect(page.locator("#trading-map g.region")).to_have_count(4)

    async def drawn_as_rest_says() -> bool:   # other tests' deals may arrive meanwhile: compare a still map
        before = (await api.get("/api/v1/trading-map", headers=OPERATOR)).json()
        await page.reload()
        flows, total = await page.locator("#trading-map g.flow").count(), await page.locator("#map-total").inner_text()
        after = (await api.get("/api/v1/trading-map", headers=OPERATOR)).json()
        return before == after and flows == len(after["routes"]) and f"{after['count']} 笔数" in total
    await eventually(drawn_as_rest_says)
    await shot(page, "map")


async def test_station_moves_its_case_on_from_its_queue(api, platform, page):
    """The handling station's queue offers the next step of each case (and rejection while it
    may): accepting in place moves the case on, and the queue then offers the step after."""
    station, sid = await _approved_station(api, "天津武清合作站")
    case = await _case(api, platform, sid)

    await sign_in(page, platform.gateway_url, station)
    await page.goto(f"{platform.gateway_url}/console/queues/my-cases")
    row = await _row(page, case["case_id"])
    await expect(row.get_by_role("button")).to_have_text(["受理", "驳回"])
    await row.get_by_label("备注").fill("材料齐全，予以受理")
    await row.get_by_role("button", name="受理").click()
    await expect(page.locator(f'tr.decided[data-id="{case["case_id"]}"]')).to_contain_text("已处理")
    got = (await api.get(f"/api/v1/incubation/cases/{case['case_id']}", headers=station.bearer)).json()
    step = got["history"][-1]
    assert (got["stage"], step["stage"], step["note"]) == ("ACCEPTED", "ACCEPTED", "材料齐全，予以受理")
    await page.reload()
    await expect((await _row(page, case["case_id"])).get_by_role("button")).to_have_text(["完成评估", "驳回"])
