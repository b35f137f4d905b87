"""What incubation handlers need, built once by the composition root (bootstrap.build)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from services.common.clock import Clock
from services.incubation.domain import vocab


@dataclass
class Deps:
    uow: Callable      # () -> unit of work with .stations .incubators .cases .views; used by the bus only
    clock: Clock
    registry: object = None              # services.common.registry_client.RegistryClient (or a fake)
    sla_days: dict = field(default_factory=lambda: dict(vocab.DEFAULT_SLA_DAYS))
    warning_ratio: float = vocab.DEFAULT_WARNING_RATIO
    ranking_weights: dict = field(default_factory=lambda: dict(vocab.DEFAULT_RANKING_WEIGHTS))
