"""What handlers need, built once by the composition root (bootstrap.py)."""

from collections.abc import Callable
from dataclasses import dataclass

from services.common.clock import Clock


@dataclass
class Deps:
    uow: Callable            # () -> UnitOfWork (async context manager)
    clock: Clock
    achievements: Callable   # (uow) -> repository of Achievement
    counters: Callable       # (uow) -> Counters (serials incremented in the transaction)
    notice_days: int = 30
    registering_body_code: str = "110000"
    contracts: Callable | None = None   # (uow) -> repository of TechnologyContract
    contract_limit_days: int = 7        # registrar's time limit from filing
    contract_max_days: int = 30         # the limit may be extended up to this
    packages: Callable | None = None    # (uow) -> repository of AchievementPackage
    tech_reports: Callable | None = None    # (uow) -> repository of TechReport
    saved_searches: Callable | None = None  # (uow) -> repository of SavedSearch
    # annual reports & obligations
    annual_reports: Callable | None = None  # (uow) -> repository of AnnualReport
    oversights: Callable | None = None      # (uow) -> repository of Oversight
    funded_projects: Callable | None = None  # (uow) -> repository of FundedProject
    report_windows: dict | None = None      # year -> {institution_deadline, supervisor_deadline}
