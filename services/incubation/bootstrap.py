"""Composition root of the incubation service."""


from pydantic import Field, field_validator

from services.common.clock import Clock, SystemClock
from services.common.host import Host
from services.common.registry_client import RegistryClient
from services.common.repository import with_stores
from services.common.settings import ServiceSettings
from services.incubation.adapters import repositories, views
from services.incubation.domain import vocab
from services.incubation.service_layer import audience
from services.incubation.service_layer.deps import Deps

SERVICE_NAMES = ["bth.incubation.v1.IncubationService"]


class IncubationSettings(ServiceSettings):
    service_name: str = "incubation"
    grpc_port: int = 50053
    # Working days per open green-channel stage (JSON in SLA_DAYS, e.g. {"SUBMITTED": 3}).
    sla_days: dict[str, int] = Field(default_factory=lambda: dict(vocab.DEFAULT_SLA_DAYS))
    sla_warning_ratio: float = Field(default=vocab.DEFAULT_WARNING_RATIO, gt=0, lt=1)
    sla_check_seconds: float = Field(default=1.0, gt=0)
    # Station ranking score weights (JSON in RANKING_WEIGHTS).
    ranking_weights: dict[str, float] = Field(default_factory=lambda: dict(vocab.DEFAULT_RANKING_WEIGHTS))

    @field_validator("sla_days")
    @classmethod
    def _stages(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = set(value) - set(vocab.DEFAULT_SLA_DAYS)
        if unknown or any(d < 1 for d in value.values()):
            raise ValueError(f"stages are {sorted(vocab.DEFAULT_SLA_DAYS)} with at least 1 working day")
        return {**vocab.DEFAULT_SLA_DAYS, **value}

    @field_validator("ranking_weights")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = set(value) - set(vocab.DEFAULT_RANKING_WEIGHTS)
        if unknown:
            raise ValueError(f"weights are {sorted(vocab.DEFAULT_RANKING_WEIGHTS)}")
        return {**vocab.DEFAULT_RANKING_WEIGHTS, **value}


def build(settings: IncubationSettings, clock: Clock | None = None) -> tuple[Host, Deps]:
    host = Host(settings, "bth.incubation.v1", clock or SystemClock(), audience=audience.partner_regions)
    uow = with_stores(host.uow, stations=repositories.stations, incubators=repositories.incubators,
                      cases=repositories.cases, views=views.views)
    deps = Deps(uow=uow, clock=host.clock,
                registry=RegistryClient(settings.registry_addr, settings.grpc_timeout_seconds,
                                          settings.internal_auth_key.get_secret_value()),
                sla_days=dict(settings.sla_days), warning_ratio=settings.sla_warning_ratio,
                ranking_weights=dict(settings.ranking_weights))
    return host, deps


async def create_indexes(db) -> None:
    await repositories.create_indexes(db)
