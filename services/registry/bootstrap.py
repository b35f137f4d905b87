"""Composition root of the registry: the only place that wires adapters to handlers."""


from pydantic import Field

from services.common.clock import Clock, SystemClock
from services.common.host import Host, kafka_consumer
from services.common.repository import with_stores
from services.common.settings import ServiceSettings
from services.registry.adapters import annual_repositories, report_repositories, repositories, views
from services.registry.service_layer import audience
from services.registry.service_layer.deps import Deps

SERVICE_NAMES = ["bth.registry.v1.RegistryService"]


class RegistrySettings(ServiceSettings):
    service_name: str = "registry"
    grpc_port: int = 50051
    notice_days: int = Field(default=30, ge=0)            # public notice (公示) period
    registering_body_code: str = "110000"                 # first part of registration numbers
    notice_check_seconds: float = Field(default=2.0, gt=0)  # worker timer: conclude ended notices
    contract_limit_days: int = Field(default=7, ge=1)     # registrar's time limit for contracts
    contract_max_days: int = Field(default=30, ge=1)      # ... extendable up to this many days
    # annual report windows per cycle: {year: {"institution_deadline": "YYYY-MM-DD", "supervisor_deadline": ...}}
    # (missing years / keys: March 31 / April 30 of the following year)
    annual_report_windows: dict[int, dict[str, str]] = Field(default_factory=dict)


def build(settings: RegistrySettings, clock: Clock | None = None) -> tuple[Host, Deps]:
    host = Host(settings, "bth.registry.v1", clock or SystemClock(), audience=audience.partner_regions)
    uow = with_stores(host.uow, achievements=repositories.achievements, contracts=repositories.contracts,
                      packages=repositories.packages, counters=repositories.counters,
                      annual_reports=annual_repositories.annual_reports, oversights=annual_repositories.oversights,
                      funded_projects=annual_repositories.funded_projects,
                      tech_reports=report_repositories.tech_reports,
                      saved_searches=report_repositories.saved_searches, reporting=report_repositories.reporting,
                      statistics=views.statistics)
    deps = Deps(uow=uow, clock=host.clock, notice_days=settings.notice_days,
                registering_body_code=settings.registering_body_code, report_windows=settings.annual_report_windows,
                contract_limit_days=settings.contract_limit_days, contract_max_days=settings.contract_max_days)
    deps.stream_consumer = lambda group, table: kafka_consumer(settings, f"{settings.service_name}.{group}", table,
                                                               uow)
    return host, deps


async def create_indexes(db) -> None:
    await repositories.create_indexes(db)
    await report_repositories.create_indexes(db)  # technology reports, saved searches
    await annual_repositories.create_indexes(db)  # annual reports & obligations
    await views.create_indexes(db)                # the statistics cells
