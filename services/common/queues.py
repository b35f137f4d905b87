"""Work queues (pure): each service's table of `Rule`s says who may read a queue, which item
states it may be filtered to (and shows by default), whether its items have a due date and a
region; `check` turns a `WorkQueue` request into a checked `Page` or refuses it naming the field."""

from dataclasses import dataclass
from datetime import datetime

from services.common.errors import Forbidden, InvalidInput, require
from services.common.identity import Principal
from services.common.vocab import REGIONS


@dataclass(frozen=True)
class Rule:
    roles: tuple[str, ...]
    states: tuple[str, ...] = ()      # the states `state` may name; () : the items have none
    default: tuple[str, ...] = ()     # the states shown without `state` (the queue's working set)
    due: bool = False                 # items have a due date: sorted by it, `due_before` applies
    regional: bool = True             # items have a region: `region` applies


@dataclass(frozen=True)
class WorkQueue:
    """Read one page of a work queue (each service subclasses it per kind of item)."""
    actor: Principal
    queue: str                        # a bth.common.v1.WorkQueue value name, e.g. "REVIEW"
    state: str = ""
    region: str = ""
    due_before: datetime | None = None
    page_size: int = 0
    cursor: str = ""


@dataclass(frozen=True)
class Page:
    """A checked queue request: `states` to show (() : no state filter)."""
    queue: str
    actor: Principal
    states: tuple[str, ...]
    region: str
    due_before: datetime | None
    page_size: int
    cursor: str


def check(rules: dict[str, Rule], cmd: WorkQueue) -> Page:
    queue, actor, state, region, due_before = cmd.queue, cmd.actor, cmd.state, cmd.region, cmd.due_before
    rule = rules.get(queue)
    if rule is None:
        raise InvalidInput(f"this service has no work queue {queue!r}", "queue")
    if not actor.has(*rule.roles):
        raise Forbidden(f"the {queue} queue is for {' and '.join(rule.roles)} only", "role")
    if state:
        require(bool(rule.states), f"the items of the {queue} queue have no state to filter on", "state")
        require(state in rule.states, f"state must be one of {', '.join(rule.states)}, got {state!r}", "state")
    if region:
        require(rule.regional, f"the items of the {queue} queue have no region to filter on", "region")
        require(region in REGIONS, f"region must be one of {', '.join(REGIONS)}, got {region!r}", "region")
    require(due_before is None or rule.due, f"the items of the {queue} queue have no due date", "due_before")
    require(0 <= cmd.page_size <= 200, "page_size must be between 1 and 200", "page_size")
    return Page(queue, actor, (state,) if state else rule.default, region, due_before, cmd.page_size or 20,
                cmd.cursor)
