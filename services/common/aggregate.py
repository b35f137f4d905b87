"""Aggregate base and the event base class (pure: no I/O).

Aggregates record past-tense events in `events`; the unit of work takes them out and
writes them to the outbox in the same transaction as the state. Aggregates never publish.
"""

from dataclasses import dataclass, field


@dataclass
class Event:
    """A domain event. Its class name equals the protobuf message name in proto/."""


@dataclass(kw_only=True)
class Aggregate:
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def record(self, event: Event) -> None:
        """Every recorded change raises the version by one (optimistic concurrency)."""
        self.version += 1
        self.events.append(event)

    @property
    def entity_id(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError
