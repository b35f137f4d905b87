"""Composition root of the procurement service."""

from decimal import Decimal

from pydantic import Field

from services.common.clock import Clock, SystemClock
from services.common.host import Host
from services.common.registry_client import RegistryClient
from services.common.repository import with_stores
from services.common.settings import ServiceSettings
from services.procurement.adapters import repositories, views
from services.procurement.domain.policy import CATEGORIES, FirstSetRule, Policy
from services.procurement.service_layer import audience
from services.procurement.service_layer.deps import Deps

SERVICE_NAMES = ["bth.procurement.v1.ProcurementService"]


class ProcurementSettings(ServiceSettings):
    service_name: str = "procurement"
    grpc_port: int = 50052
    procurement_categories: list[str] = Field(default_factory=lambda: sorted(CATEGORIES))
    listing_term_days: int = Field(default=3 * 365, ge=1)
    review_min_experts: int = Field(default=3, ge=1)
    review_pass_mean_score: float = Field(default=60.0, ge=0, le=100)
    review_veto_score: int = Field(default=0, ge=0, le=100)
    award_tolerance_percent: Decimal = Field(default=Decimal("0"), ge=0, le=100)
    first_set_rules: dict[str, dict] = Field(default_factory=lambda: {
        "BEIJING": {"require_own_ip": True, "require_major_breakthrough": True, "max_units_sold": 3}})
    expiry_interval_seconds: float = Field(default=1.0, gt=0)


def policy_of(s: ProcurementSettings) -> Policy:
    return Policy(categories=frozenset(s.procurement_categories), listing_term_days=s.listing_term_days,
                  min_reviews=s.review_min_experts, pass_mean_score=s.review_pass_mean_score,
                  veto_score=s.review_veto_score, award_tolerance=s.award_tolerance_percent / 100,
                  first_set_rules={r: FirstSetRule(**rule) for r, rule in s.first_set_rules.items()})


# what every unit of work carries (services.common.repository.with_stores)
STORES = dict(products=repositories.products, demands=repositories.demands, awards=repositories.awards,
              suggestions=repositories.suggestions, claims=repositories.claims, views=views.views)


def build(settings: ProcurementSettings, clock: Clock | None = None) -> tuple[Host, Deps]:
    host = Host(settings, "bth.procurement.v1", clock or SystemClock(), audience=audience.partner_regions)
    deps = Deps(uow=with_stores(host.uow, **STORES), clock=host.clock, policy=policy_of(settings),
                registry=RegistryClient(settings.registry_addr, settings.grpc_timeout_seconds,
                                          settings.internal_auth_key.get_secret_value()),
                attach=lambda uow: with_stores(lambda: uow, **STORES)())
    return host, deps
