"""Which partner regions may see an event: decided here, by incubation that owns the data,
with the read rules of its queries (a partner reads a case of its region, and any station
or incubator), so the feed shows a partner what REST shows it."""

from services.common.identity import partner_of
from services.common.vocab import REGIONS
from services.incubation.domain.cases import Case
from services.incubation.domain.incubators import Incubator
from services.incubation.domain.stations import Station

RULES = {
    Case: lambda case, who: case.visible_to(who),
    Station: lambda _station, _who: True,
    Incubator: lambda _incubator, _who: True,
}


def partner_regions(aggregate, _event) -> tuple[str, ...]:
    rule = RULES.get(type(aggregate))
    return tuple(r for r in REGIONS if rule(aggregate, partner_of(r))) if rule else ()
