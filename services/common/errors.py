"""Domain errors (pure). Entrypoints map them to gRPC status codes and HTTP problem details."""


class DomainError(Exception):
    """Base of every refusal the domain makes. `field` names the offending input, if any."""

    kind = "domain-error"

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    kind = "invalid-input"


class NotFound(DomainError):
    kind = "not-found"


class Conflict(DomainError):
    """The entity exists already, or was changed concurrently."""

    kind = "conflict"


class TransitionRefused(DomainError):
    """The action is not allowed from the entity's current state."""

    kind = "transition-refused"


class Forbidden(DomainError):
    kind = "forbidden"


class Unavailable(DomainError):
    """A dependency (another service) cannot be reached; retrying later may succeed."""

    kind = "unavailable"


def require(condition: bool, message: str, field: str | None = None) -> None:
    if not condition:
        raise InvalidInput(message, field)
