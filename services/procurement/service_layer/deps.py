"""What procurement handlers need, built once by the composition root (bootstrap.build)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from services.common.clock import Clock
from services.procurement.domain.policy import Policy


def _as_is(uow):
    return uow


@dataclass
class Deps:
    uow: Callable      # () -> unit of work with .products .demands .awards .suggestions .claims .views; bus only
    clock: Clock
    policy: Policy = field(default_factory=Policy)
    registry: object = None     # services.common.registry_client.RegistryClient (or a fake)
    attach: Callable = _as_is   # (a consumer's unit of work) -> the same unit with the stores attached
