"""What procurement handlers need, built once by the composition root."""

from collections.abc import Callable
from dataclasses import dataclass

from services.common.clock import Clock


@dataclass
class Deps:
    uow: Callable      # () -> UnitOfWork
    clock: Clock
    db: object         # the service database (read models)
