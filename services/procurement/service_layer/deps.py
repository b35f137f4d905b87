"""What procurement handlers need, built once by the composition root."""

from collections.abc import Callable
from dataclasses import dataclass

from services.common.clock import Clock
from services.procurement.adapters import repositories
from services.procurement.domain.policy import Policy


@dataclass
class Deps:
    uow: Callable      # () -> UnitOfWork
    clock: Clock
    db: object         # the service database (read models)
    policy: Policy = None
    registry: object = None     # adapters.registry.RegistryClient
    products: Callable = repositories.products
    demands: Callable = repositories.demands
    awards: Callable = repositories.awards
    suggestions: Callable = repositories.suggestions
    claims: Callable = repositories.claims
