"""The procurement service on fakes: a FakeUnitOfWork with its repositories and views (the
views answer from the fake repositories, as the Mongo ones read the collections), a
ManualClock and a fake registry; people and seeded aggregates for handler unit tests."""

from datetime import timedelta

from services.common import contracts
from services.common.clock import ManualClock
from services.common.identity import Principal
from services.common.plain import to_plain
from services.procurement.domain import application, claim, demand, first_set
from services.procurement.domain.policy import Policy
from services.procurement.domain.product import Status
from services.procurement.service_layer.deps import Deps
from tests.unit.fakes import FakeRegistry, FakeRepository, FakeUnitOfWork, FakeViews

VENDOR = Principal("v-1", "org-vendor", "BEIJING", frozenset({"enterprise"}))
OTHER_VENDOR = Principal("v-2", "org-rival", "HEBEI", frozenset({"enterprise"}))
OPERATOR = Principal("op-1", "org-platform", "BEIJING", frozenset({"operator"}))
BUYER = Principal("b-1", "org-buyer", "TIANJIN", frozenset({"buyer"}))
EXPERTS = [Principal(f"x-{i}", f"org-expert-{i}", "BEIJING", frozenset({"expert"})) for i in range(3)]
ACHIEVEMENT = {"achievement_id": "ach-1", "status": "REGISTERED", "title": "数控机床预测性维护方法",
               "keywords": ["数控机床"], "region": "BEIJING", "field": "digital-manufacturing"}
SUBMITTED = {**ACHIEVEMENT, "achievement_id": "ach-2", "status": "SUBMITTED"}
APPLICATION = dict(name="智能数控机床远程运维系统", category="advanced-manufacturing", description="数控机床 远程运维",
                   price="850000.00", region="BEIJING", indicators=[{"name": "准确率", "value": "95", "unit": "%"}],
                   achievement_ids=["ach-1"])


def due_to_expire(products, now):
    return sorted(p.product_id for p in products
                  if p.status in (Status.LISTED, Status.SUSPENDED) and p.valid_until <= now)


def search(products, wanted, limit, after=""):
    return sorted((p for p in products if wanted.matches(p) and p.product_id > after),
                  key=lambda p: p.product_id)[:limit]


def world(*achievements: dict, unavailable: bool = False, known: dict | None = None, mirrored=()):
    """`achievements` live in the registry; `known`: procurement's mirror by id; `mirrored`: the
    registered achievements matching ranks."""
    def docs(repo, keep):
        return [to_plain(a, True) for a in repo.items.values() if keep(a)]
    mirror = {a["achievement_id"]: dict(a) for a in mirrored}

    def keep(message, envelope):
        a = contracts.to_dict(message.achievement)
        mirror[a["achievement_id"]] = a
    views = FakeViews(
        keep_achievement=keep,
        known_achievement=lambda achievement_id: (known or {}).get(achievement_id),
        open_demands=lambda now, ids=None: docs(uow.demands, lambda d: d.status == "OPEN" and d.deadline > now
                                                and (ids is None or d.demand_id in ids)),
        listed_products=lambda now: docs(uow.products, lambda p: p.status == Status.LISTED and p.valid_until > now),
        listed_product=lambda product_id, now: next(
            (to_plain(p, True) for p in [uow.products.items.get(product_id)]
             if p and p.status == Status.LISTED and p.valid_until > now), None),
        registered_achievements=lambda: [dict(a) for a in mirror.values() if a.get("status") == "REGISTERED"])
    uow = FakeUnitOfWork(products=FakeRepository("product_id", "product", due_to_expire=due_to_expire,
                                                 search=search),
                         demands=FakeRepository("demand_id", "demand"), awards=FakeRepository("award_id", "award"),
                         suggestions=FakeRepository("demand_id", "suggestions"),
                         claims=FakeRepository("claim_id", "insurance claim"), views=views)
    deps = Deps(uow=lambda: uow, clock=ManualClock(), policy=Policy(),
                registry=FakeRegistry(*achievements, unavailable=unavailable))
    return uow, deps


def applied(deps, product_id="p-1", **over):
    fields = {**APPLICATION, **over}
    return application.apply(product_id, VENDOR, deps.clock.now(), deps.policy, field="digital-manufacturing",
                             **fields)


def listed(deps, product_id="p-1", **over):
    """A product passed by three experts (listed for the policy's term from now)."""
    product = applied(deps, product_id, **over)
    for expert, score in zip(EXPERTS, (80, 75, 90), strict=True):
        product.review(expert, score, "sound", deps.clock.now(), deps.policy)
    return product


def first_set_product(deps, product_id="p-1"):
    product = listed(deps, product_id)
    first_set.apply(product, VENDOR, deps.clock.now(), deps.policy, True, True, 1, "")
    first_set.decide(product, OPERATOR, deps.clock.now(), True, "")
    return product


def open_demand(deps, demand_id="d-1", need="采购数控机床远程运维系统", budget="900000.00", **over):
    fields = dict(category="advanced-manufacturing", deadline=deps.clock.now() + timedelta(days=30),
                  region="TIANJIN") | over
    return demand.publish(demand_id, BUYER, deps.clock.now(), deps.policy, need, budget=budget, **fields)


def applied_claim(deps, product, claim_id="c-1"):
    return claim.apply(claim_id, VENDOR, deps.clock.now(), deps.policy, product, "10000.00", "failure in year one")
