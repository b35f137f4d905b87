"""Catalog handlers: application (checked live against the registry), review, suspension,
renewal, first-set recognition, the product query, and the listing-expiry sweep."""

import uuid

from services.common.errors import Forbidden, InvalidInput, NotFound
from services.common.identity import Principal
from services.procurement.domain import application, commands, first_set
from services.procurement.domain.product import Product, Status
from services.procurement.service_layer.deps import Deps

TIMER = Principal(subject="expiry-timer", roles=frozenset({"system"}))
PUBLIC = (Status.LISTED, Status.SUSPENDED, Status.EXPIRED)


def role(actor, *roles: str) -> None:
    if not actor.has(*roles, "system"):
        raise Forbidden(f"only {' or '.join(roles)} may do this", "role")


def _fields(cmd: commands.ApplyProduct) -> dict:
    return dict(name=cmd.name, category=cmd.category, description=cmd.description, price=cmd.price,
                region=cmd.region, indicators=cmd.indicators, achievement_ids=cmd.achievement_ids)


async def _registered(deps: Deps, achievement_id: str) -> dict:
    try:
        return await deps.registry.registered(achievement_id, "achievement_ids")
    except NotFound as exc:   # the API promised "invalid input" for a citation the registry lacks
        raise InvalidInput(exc.message, "achievement_ids") from None


async def check_application(cmd: commands.ApplyProduct, uow, deps: Deps) -> list[dict]:
    """Before the transaction: the whole input, then every cited achievement live in the registry."""
    role(cmd.actor, "enterprise", "operator")
    if not cmd.actor.organisation:
        raise Forbidden("only a member of an organisation can apply", "organisation")
    application.validate(deps.policy, **_fields(cmd))          # refuse bad input before calling out
    return [await _registered(deps, a) for a in cmd.achievement_ids]


async def apply_product(cmd: commands.ApplyProduct, uow, deps: Deps, cited: list[dict]) -> Product:
    product = application.apply(str(uuid.uuid4()), cmd.actor, deps.clock.now(), deps.policy,
                                field=cited[0].get("field", ""), **_fields(cmd))
    await uow.products.add(product)
    return product


async def _change(uow, product_id: str, change) -> Product:
    product = await uow.products.get(product_id)
    change(product)
    await uow.products.save(product)
    return product


async def review_product(cmd: commands.ReviewProduct, uow, deps: Deps) -> Product:
    role(cmd.actor, "expert")
    return await _change(uow, cmd.product_id,
                         lambda p: p.review(cmd.actor, cmd.score, cmd.opinion, deps.clock.now(), deps.policy))


async def suspend_product(cmd: commands.SuspendProduct, uow, deps: Deps) -> Product:
    role(cmd.actor, "operator")
    return await _change(uow, cmd.product_id, lambda p: p.suspend(cmd.actor, deps.clock.now(), cmd.note))


async def reinstate_product(cmd: commands.ReinstateProduct, uow, deps: Deps) -> Product:
    role(cmd.actor, "operator")
    return await _change(uow, cmd.product_id, lambda p: p.reinstate(cmd.actor, deps.clock.now(), cmd.note))


async def renew_product(cmd: commands.RenewProduct, uow, deps: Deps) -> Product:
    def renew(p: Product) -> None:
        if p.organisation != cmd.actor.organisation and not cmd.actor.has("operator", "system"):
            raise Forbidden("only the vendor or an operator may renew a listing", "product_id")
        p.renew(cmd.actor, deps.clock.now(), deps.policy, cmd.note)
    return await _change(uow, cmd.product_id, renew)


async def apply_first_set(cmd: commands.ApplyFirstSet, uow, deps: Deps) -> Product:
    def apply(p: Product) -> None:
        if p.organisation != cmd.actor.organisation:
            raise Forbidden("only the vendor may apply for first-set recognition", "product_id")
        first_set.apply(p, cmd.actor, deps.clock.now(), deps.policy, cmd.own_ip, cmd.major_breakthrough,
                        cmd.units_sold_in_region, cmd.note)
    return await _change(uow, cmd.product_id, apply)


async def decide_first_set(cmd: commands.DecideFirstSet, uow, deps: Deps) -> Product:
    role(cmd.actor, "expert", "operator")
    return await _change(uow, cmd.id, lambda p: first_set.decide(p, cmd.actor, deps.clock.now(), cmd.approve, cmd.note))


async def get_product(cmd: commands.GetProduct, uow, deps: Deps) -> Product:
    product = await uow.products.get(cmd.product_id)
    mine = product.organisation == cmd.actor.organisation
    if not (product.status in PUBLIC or mine or cmd.actor.has("operator", "expert", "system")):
        raise NotFound(f"product {cmd.product_id} does not exist", "product_id")   # as if it did not exist
    return product


async def listings_due(cmd: commands.ExpireListings, uow, deps: Deps) -> list[str]:
    role(cmd.actor, "operator")
    return await uow.products.due_to_expire(cmd.now or deps.clock.now())


async def expire_listing(cmd: commands.ExpireListings, product_id: str, uow, deps: Deps) -> bool:
    """Expire one listing whose term has ended (recorded as the expiry timer's change)."""
    product = await uow.products.get(product_id)
    if product.expire(TIMER, cmd.now or deps.clock.now()):
        await uow.products.save(product)
        return True
    return False
