"""Aggregate base and the event base class (pure: no I/O).

Aggregates record past-tense events in `events`; the unit of work takes them out and
writes them to the outbox in the same transaction as the state. Aggregates never publish.
Every event carries the entity's snapshot after the change: `record_change(EventCls, ...)`
builds it (`snapshot_after()`: the plain fields with the version the change will have).
"""

from dataclasses import dataclass, field

from services.common.plain import to_plain


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

    def snapshot_after(self) -> dict:
        """The plain snapshot as it is once the change being recorded counts (version + 1)."""
        return {**to_plain(self), "version": self.version + 1}

    def record_change(self, event_cls: type[Event], *args, **kwargs) -> Event:
        """Record `event_cls(entity_id, snapshot_after(), *args, **kwargs)`: the shape of
        every snapshot-carrying event (id field first, snapshot second)."""
        event = event_cls(self.entity_id, self.snapshot_after(), *args, **kwargs)
        self.record(event)
        return event

    @property
    def entity_id(self) -> str:  # pragma: no cover - overridden
        raise NotImplementedError
