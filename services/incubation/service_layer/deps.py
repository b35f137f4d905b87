"""What incubation handlers need, built once by the composition root."""

from collections.abc import Callable
from dataclasses import dataclass, field

from services.common.clock import Clock
from services.incubation.domain import vocab


@dataclass
class Deps:
    uow: Callable      # () -> UnitOfWork
    clock: Clock
    db: object         # the service database (read models, queries)
    stations: Callable | None = None     # (uow) -> Repository[Station]
    incubators: Callable | None = None   # (uow) -> Repository[Incubator]
    cases: Callable | None = None        # (uow) -> Repository[Case]
    registry: object = None              # RegistryClient: get_achievement(id) -> dict
    sla_days: dict = field(default_factory=lambda: dict(vocab.DEFAULT_SLA_DAYS))
    warning_ratio: float = vocab.DEFAULT_WARNING_RATIO
    ranking_weights: dict = field(default_factory=lambda: dict(vocab.DEFAULT_RANKING_WEIGHTS))
