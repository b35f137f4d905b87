"""An award is judged against the listing's state when it is made, not its claimed date
(through the gateway; real gateway, gRPC, Mongo and broker). The listing's term is set in the
past through procurement's own model and unit of work, so the shared clock stays put: an award
made after the term, dated back into it, is a 409 problem naming product_id and writes nothing —
whether the expiry sweep (the worker's timer, or the operator's call) has run yet or not (the
unit tests pin both cases: tests/unit/procurement/test_demand_handlers.py)."""

import re
import uuid
from datetime import timedelta

from services.procurement.adapters import repositories
from tests.procurement.test_rest import BASE, assert_problem, listed, principal


async def term_ended(platform, product_id: str, days_ago: int = 1) -> None:
    """Move the listing's whole term into the past (listed 400 days before it ended)."""
    now = platform.clock.now()
    async with platform.hosts["procurement"].uow() as uow:
        products = repositories.products(uow)
        product = await products.get(product_id)
        product.valid_until = now - timedelta(days=days_ago)
        product.listed_at = product.valid_until - timedelta(days=400)
        await products.save(product)
        await uow.commit()


async def test_an_award_after_the_term_dated_back_into_it_is_refused(api, platform):
    tag = uuid.uuid4().hex[:6]
    product = await listed(api, platform, principal("enterprise"), tag)
    pid = product["product_id"]
    await term_ended(platform, pid)
    buyer = principal("buyer", region="TIANJIN")
    now = platform.clock.now()
    demand = await api.post(f"{BASE}/demands", headers=buyer, json={
        "need": "采购数控机床远程运维系统", "category": "advanced-manufacturing", "budget": "1000000.00",
        "deadline": (now + timedelta(days=30)).isoformat(), "region": "TIANJIN"})
    assert demand.status_code == 201, demand.text
    did = demand.json()["demand_id"]
    within_term = (now - timedelta(days=10)).isoformat()
    award = {"demand_id": did, "product_id": pid, "amount": "900000.00", "award_date": within_term}

    body = assert_problem(await api.post(f"{BASE}/awards", headers=buyer, json=award), 409, "product_id",
                          "transition-refused")     # LISTED until the worker's expiry timer (or the call below)
    assert re.search(r"not listed now \((LISTED|EXPIRED), its term ended", body["detail"]), body
    assert "not on its award_date" in body["detail"]
    expired = await api.post(f"{BASE}/expire-listings", headers=principal("operator"))
    assert expired.status_code == 200, expired.text
    assert (await api.get(f"{BASE}/products/{pid}", headers=buyer)).json()["status"] == "EXPIRED"
    body = assert_problem(await api.post(f"{BASE}/awards", headers=buyer, json=award), 409, "product_id",
                          "transition-refused")
    assert "not listed now (EXPIRED, its term ended" in body["detail"]

    db = platform.hosts["procurement"].db
    assert await db["awards"].count_documents({"demand_id": did}) == 0
    assert (await api.get(f"{BASE}/demands/{did}", headers=buyer)).json()["status"] == "OPEN"
    assert await db["outbox"].count_documents({"key": did, "type": "bth.procurement.v1.DemandAwarded"}) == 0
