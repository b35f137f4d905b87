"""What the console's browser tests share: people with real accounts (created through REST,
signed in through the console's form), data made through the REST API (a registered
achievement is written by the registry's own repository, as in the procurement tests), one
headless Debian Chromium per module driven by Playwright, and optional screenshots."""

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.procurement.support import registered_achievement
from tests.support.identity import bearer

PRODUCTS = "/api/v1/procurement/products"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
# `make console-screenshots` sets this to docs/console: the tests then save the main pages as PNG.
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS", "")
if SHOTS:
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
OPERATOR = bearer(f"op-console-{uuid.uuid4().hex[:6]}", "org-platform", "BEIJING", "operator")


def tag() -> str:
    return uuid.uuid4().hex[:8]


@dataclass
class Person:
    username: str
    password: str
    organisation: str
    region: str
    role: str

    @property
    def bearer(self) -> dict:   # the same person for REST set-up calls
        return bearer(self.username, self.organisation, self.region, self.role)


async def person(c: httpx.AsyncClient, role: str, region: str = "BEIJING", organisation: str = "") -> Person:
    """An account made by an operator through POST /api/v1/accounts/users."""
    t = tag()
    p = Person(f"console-{role}-{t}", f"pass-{t}-{uuid.uuid4().hex}", organisation or f"org-{role}-{t}", region,
               role)
    r = await c.post("/api/v1/accounts/users", headers=OPERATOR, json={
        "username": p.username, "password": p.password, "organisation": p.organisation, "region": region,
        "roles": [role], "display_name": f"测试{role}"})
    assert r.status_code == 201, r.text
    return p


async def applied_product(c: httpx.AsyncClient, platform, vendor: Person, name: str, category: str,
                          words: list[str], price: str = "850000.00") -> dict:
    """A catalog application (UNDER_REVIEW) resting on a registered achievement."""
    aid = await registered_achievement(platform, f"{words[0]}方法", words, field="digital-manufacturing",
                                       region=vendor.region)
    r = await c.post(PRODUCTS, headers=vendor.bearer, json={
        "name": name, "category": category, "description": " ".join(words), "price": price,
        "region": vendor.region, "indicators": [{"name": "故障预测准确率", "value": "95", "unit": "%"}],
        "achievement_ids": [aid]})
    assert r.status_code == 201, r.text
    return r.json()


async def listed_product(c: httpx.AsyncClient, platform, vendor: Person, name: str, category: str,
                         words: list[str], price: str = "850000.00") -> dict:
    """Applied and passed by three outside experts (REST): LISTED."""
    product = await applied_product(c, platform, vendor, name, category, words, price)
    for score in (82, 78, 90):
        expert = bearer(f"expert-{tag()}", f"org-expert-{tag()}", "BEIJING", "expert")
        r = await c.post(f"{PRODUCTS}/{product['product_id']}/reviews", headers=expert,
                         json={"score": score, "opinion": "技术先进"})
        assert r.status_code == 200, r.text
    assert r.json()["status"] == "LISTED"
    return r.json()


async def sign_in(page, base: str, who: Person) -> None:
    await page.goto(f"{base}/console/signin")
    await page.get_by_label("用户名").fill(who.username)
    await page.get_by_label("密码").fill(who.password)
    await page.get_by_role("button", name="登录").click()
    await page.wait_for_url(f"{base}/console/")


async def sign_in_by_keyboard(page, base: str, who: Person) -> None:
    """The same, with the keyboard only: the username field has the focus, Tab moves on, Enter submits."""
    await page.goto(f"{base}/console/signin")
    await page.keyboard.type(who.username)
    await page.keyboard.press("Tab")
    await page.keyboard.type(who.password)
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"{base}/console/")


async def shot(page, name: str) -> None:
    if SHOTS:
        await page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
