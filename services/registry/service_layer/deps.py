"""What handlers need besides their unit of work (whose stores are the repositories and views:
`uow.achievements`, `uow.contracts`, ...), built once by the composition root (bootstrap.py)."""

from collections.abc import Callable
from dataclasses import dataclass

from services.common.clock import Clock


@dataclass
class Deps:
    uow: Callable            # () -> UnitOfWork with the registry's stores attached (with_stores)
    clock: Clock
    achievements: None = None  # unused: kept so callers still passing None keep working
    counters: None = None      # unused (uow.counters)
    notice_days: int = 30
    registering_body_code: str = "110000"
    contract_limit_days: int = 7        # registrar's time limit from filing
    contract_max_days: int = 30         # the limit may be extended up to this
    report_windows: dict | None = None      # year -> {institution_deadline, supervisor_deadline}
    stream_consumer: Callable | None = None  # (group, {event type: handler}) -> EventConsumer (faust agents)
