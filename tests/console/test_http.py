"""The console's session rules over plain HTTP (no browser needed): the token cookie is HttpOnly
and SameSite=Strict, every POST without the CSRF token is refused 403 and changes nothing,
REST's refusals (wrong password, a role the matrix refuses) come back as REST's problems, the
language switches with ?lang=en and stays in a cookie, assets are served locally."""

import contextlib
import re
from datetime import timedelta

import httpx

from services.common import dev_clock
from tests.console.support import person
from tests.support.platform import second_gateway

CSRF = "bth_console_csrf"


@contextlib.asynccontextmanager
async def signed_in(base: str, who):
    async with httpx.AsyncClient(base_url=base, timeout=10) as c:
        await c.get("/console/signin")
        r = await c.post("/console/signin", data={"username": who.username, "password": who.password,
                                                  "csrf_token": c.cookies["bth_console_csrf"], "next": "/console/"})
        assert (r.status_code, r.headers["location"]) == (303, "/console/"), r.text
        cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("bth_console_token="))
        assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/console" in cookie
        yield c


async def test_csrf_is_required_on_every_post_and_a_refused_post_changes_nothing(api, platform):
    buyer = await person(api, "buyer")
    async with signed_in(platform.gateway_url, buyer) as c:
        demand = {"need": "采购液相色谱仪", "category": "biomedicine", "budget": "300000.00",
                  "deadline": "2099-12-31", "region": "BEIJING"}
        for sent in ({}, {"csrf_token": "forged"}):
            r = await c.post("/console/demands", data={**demand, **sent})
            assert r.status_code == 403 and "CSRF" in r.text
        r = await c.post("/console/signout", data={})
        assert r.status_code == 403
        assert (await c.get("/console/")).status_code == 200   # still signed in: the sign-out was refused
        demands = platform.hosts["procurement"].db["demands"]
        assert await demands.count_documents({"organisation": buyer.organisation}) == 0
        r = await c.post("/console/demands", data={**demand, "csrf_token": c.cookies["bth_console_csrf"]})
        assert r.status_code == 303 and r.headers["location"].startswith("/console/demands/")
        assert await demands.count_documents({"organisation": buyer.organisation}) == 1


async def test_rest_refusals_are_shown_and_the_person_stays_where_they_were(api, platform):
    expert = await person(api, "expert")
    base = platform.gateway_url
    async with httpx.AsyncClient(base_url=base, timeout=10) as c:
        await c.get("/console/signin")
        r = await c.post("/console/signin", data={"username": expert.username, "password": "wrong-password-1",
                                                  "csrf_token": c.cookies["bth_console_csrf"]})
        assert r.status_code == 400 and 'role="alert"' in r.text and "bth_console_token" not in c.cookies
    async with signed_in(base, expert) as c:
        r = await c.post("/console/demands", data={"need": "x", "category": "biomedicine", "budget": "1.00",
                                                   "deadline": "2099-12-31", "region": "BEIJING",
                                                   "csrf_token": c.cookies["bth_console_csrf"]})
        assert r.status_code == 403 and "您的角色无权办理此事项" in r.text   # REST's matrix: experts do not buy
        token = c.cookies["bth_console_token"]
        assert (await c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})).status_code == 200
        r = await c.post("/console/signout", data={"csrf_token": c.cookies["bth_console_csrf"]})
        assert (r.status_code, r.headers["location"]) == (303, "/console/signin")
        r = await c.get("/console/catalog")
        assert r.status_code == 303 and r.headers["location"] == "/console/signin?next=/console/catalog"
        copied = await c.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})   # a kept copy of it
        assert copied.status_code == 401 and "revoked" in copied.json()["detail"], copied.text


async def test_chinese_first_english_on_request_and_local_assets(platform):
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10) as c:
        r = await c.get("/console/signin")
        assert '<html lang="zh-CN">' in r.text and "<h1>登录</h1>" in r.text
        r = await c.get("/console/signin?lang=en")
        assert '<html lang="en">' in r.text and "<h1>Sign in</h1>" in r.text
        r = await c.get("/console/signin")   # the cookie keeps the choice
        assert "<h1>Sign in</h1>" in r.text
        links = re.findall(r'(?:src|href)="([^"]*)"', r.text)
        assert links and [u for u in links if not u.startswith(("/console/", "#"))] == []   # nothing from elsewhere
        js = await c.get("/console/static/htmx.min.js")
        assert js.status_code == 200 and js.text.startswith("var htmx=")


async def test_the_operator_moves_the_development_clock_from_the_home_page(api, platform, tmp_path):
    operator = await person(api, "operator")
    async with signed_in(platform.gateway_url, operator) as c:   # the session platform has no dev clock
        r = await c.get("/console/")
        assert r.status_code == 200 and 'id="dev-clock"' not in r.text
    path = tmp_path / "clock.json"
    async with second_gateway(platform, dev_clock_file=str(path)) as url, signed_in(url, operator) as c:
        assert 'id="dev-clock"' in (await c.get("/console/")).text
        r = await c.post("/console/dev/clock", data={"days": "2", "hours": "3", "csrf_token": c.cookies[CSRF]})
        assert r.status_code == 200 and "cases_escalated" in r.text
        assert dev_clock.read_offset(path) == timedelta(days=2, hours=3)
        r = await c.post("/console/dev/clock", data={"days": "999", "csrf_token": c.cookies[CSRF]})
        assert r.status_code == 422 and "<code>days</code>" in r.text
        assert dev_clock.read_offset(path) == timedelta(days=2, hours=3)   # refused: unchanged
