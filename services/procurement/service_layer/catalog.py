"""Catalog handlers: application (with the live registry check), review, suspension,
renewal, expiry, first-set recognition."""

import uuid
from datetime import datetime

from services.common import mongo
from services.common.errors import Forbidden, NotFound
from services.common.identity import Principal
from services.procurement.domain import application, commands, first_set
from services.procurement.domain.product import Product, Status
from services.procurement.service_layer.deps import Deps
from services.procurement.service_layer.unit import in_unit

TIMER = Principal(subject="expiry-timer", roles=frozenset({"system"}))
PUBLIC = (Status.LISTED, Status.SUSPENDED, Status.EXPIRED)


def _role(actor, *roles: str) -> None:
    if not actor.has(*roles, "system"):
        raise Forbidden(f"only {' or '.join(roles)} may do this", "role")


async def apply_product(cmd: commands.ApplyProduct, deps: Deps) -> Product:
    _role(cmd.actor, "enterprise", "operator")
    if not cmd.actor.organisation:
        raise Forbidden("only a member of an organisation can apply", "organisation")
    fields = dict(name=cmd.name, category=cmd.category, description=cmd.description, price=cmd.price,
                  region=cmd.region, indicators=cmd.indicators, achievement_ids=cmd.achievement_ids)
    application.validate(deps.policy, **fields)          # refuse bad input before calling out
    cited = [await deps.registry.registered(a) for a in cmd.achievement_ids]
    now = deps.clock.now()
    product = application.apply(str(uuid.uuid4()), cmd.actor, now, deps.policy, field=cited[0].get("field", ""),
                                **fields)
    await in_unit(deps, lambda uow: deps.products(uow).add(product))
    return product


async def _change(deps: Deps, product_id: str, change) -> Product:
    async def work(uow) -> Product:
        repo = deps.products(uow)
        product = await repo.get(product_id)
        change(product)
        await repo.save(product)
        return product
    return await in_unit(deps, work)


async def review_product(cmd: commands.ReviewProduct, deps: Deps) -> Product:
    _role(cmd.actor, "expert")
    return await _change(deps, cmd.product_id,
                         lambda p: p.review(cmd.actor, cmd.score, cmd.opinion, deps.clock.now(), deps.policy))


async def suspend_product(cmd: commands.SuspendProduct, deps: Deps) -> Product:
    _role(cmd.actor, "operator")
    return await _change(deps, cmd.product_id, lambda p: p.suspend(cmd.actor, deps.clock.now(), cmd.note))


async def reinstate_product(cmd: commands.ReinstateProduct, deps: Deps) -> Product:
    _role(cmd.actor, "operator")
    return await _change(deps, cmd.product_id, lambda p: p.reinstate(cmd.actor, deps.clock.now(), cmd.note))


async def renew_product(cmd: commands.RenewProduct, deps: Deps) -> Product:
    def renew(p: Product) -> None:
        if p.organisation != cmd.actor.organisation and not cmd.actor.has("operator", "system"):
            raise Forbidden("only the vendor or an operator may renew a listing", "product_id")
        p.renew(cmd.actor, deps.clock.now(), deps.policy, cmd.note)
    return await _change(deps, cmd.product_id, renew)


async def get_product(cmd: commands.GetProduct, deps: Deps) -> Product:
    async with deps.uow() as uow:
        product = await deps.products(uow).get(cmd.product_id)
    mine = product.organisation == cmd.actor.organisation
    if not (product.status in PUBLIC or mine or cmd.actor.has("operator", "expert", "system")):
        raise NotFound(f"product {cmd.product_id} does not exist", "product_id")
    return product


async def expire_listings(now: datetime, deps: Deps) -> list[str]:
    """Expire every listing whose term has ended (one transaction per product)."""
    due = await deps.db["products"].find({"status": {"$in": ["LISTED", "SUSPENDED"]},
                                          "valid_until": {"$lte": now}}, {"_id": 1}).sort("_id", 1).to_list()
    expired = []
    for candidate in due:   # read outside a transaction; each expiry is its own unit of work
        async def work(uow, product_id=candidate["_id"]) -> bool:
            repo = deps.products(uow)
            product = await repo.get(product_id)
            if product.expire(TIMER, now):
                await repo.save(product)
                return True
            return False
        if await mongo.with_retry(lambda: in_unit(deps, work)):   # the timer is not behind grpc_method
            expired.append(candidate["_id"])
    return expired


async def expire_now(cmd: commands.ExpireListings, deps: Deps) -> list[str]:
    _role(cmd.actor, "operator")
    return await expire_listings(deps.clock.now(), deps)


async def apply_first_set(cmd: commands.ApplyFirstSet, deps: Deps) -> Product:
    def apply(p: Product) -> None:
        if p.organisation != cmd.actor.organisation:
            raise Forbidden("only the vendor may apply for first-set recognition", "product_id")
        first_set.apply(p, cmd.actor, deps.clock.now(), deps.policy, cmd.own_ip, cmd.major_breakthrough,
                        cmd.units_sold_in_region, cmd.note)
    return await _change(deps, cmd.product_id, apply)


async def decide_first_set(cmd: commands.DecideFirstSet, deps: Deps) -> Product:
    _role(cmd.actor, "expert", "operator")
    return await _change(deps, cmd.id,
                         lambda p: first_set.decide(p, cmd.actor, deps.clock.now(), cmd.approve, cmd.note))
