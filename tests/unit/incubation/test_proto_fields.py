"""Every incubation aggregate (and its nested records) has exactly its proto message's
fields, and every domain event exactly its event message's fields."""

import dataclasses

import pytest

from bth.incubation.v1 import case_pb2, incubator_pb2, station_pb2
from services.common.aggregate import Event
from services.common.contracts import catalogue
from services.incubation.domain import events
from services.incubation.domain.cases import Case
from services.incubation.domain.incubators import Incubator
from services.incubation.domain.stations import Station
from tests.unit.proto_fields import field_mismatches


@pytest.mark.parametrize(("aggregate", "message"), [(Station, station_pb2.Station), (Case, case_pb2.Case),
                                                    (Incubator, incubator_pb2.Incubator)])
def test_aggregate_fields_equal_the_proto_message_fields(aggregate, message):
    assert field_mismatches(aggregate, message) == []


EVENTS = [e for e in vars(events).values()
          if isinstance(e, type) and issubclass(e, Event) and e is not Event and not e.__name__.startswith("_")]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__name__)
def test_event_fields_equal_the_event_message_fields(event):
    message = catalogue()[f"bth.incubation.v1.{event.__name__}"].message
    assert [f.name for f in dataclasses.fields(event)] == [f.name for f in message.DESCRIPTOR.fields]


def test_a_renamed_field_is_reported():
    @dataclasses.dataclass
    class Renamed:
        organisation: str
        title: str
        region: str
        kind: str
    assert field_mismatches(Renamed, case_pb2.Party) == ["Renamed.title: only in the dataclass",
                                                         "Renamed.name: only in bth.incubation.v1.Party"]
