"""The achievement-half aggregates (achievement, technology contract, achievement package) have
exactly their proto messages' fields (nested records included), and every event of
domain/events.py exactly its event message's fields."""

import dataclasses

import pytest

from bth.registry.v1 import achievement_pb2, contract_pb2, package_pb2
from services.common.aggregate import Event
from services.common.contracts import catalogue
from services.registry.domain import events
from services.registry.domain.contract import TechnologyContract
from services.registry.domain.model import Achievement
from services.registry.domain.package import AchievementPackage
from tests.unit.proto_fields import field_mismatches

STORED_ONLY = ["Achievement.search_terms: only in the dataclass",   # search index fields: in MongoDB,
               "Achievement.terms: only in the dataclass"]          # never in a message (snapshot drops them)


@pytest.mark.parametrize(("aggregate", "message", "expected"), [
    (Achievement, achievement_pb2.Achievement, STORED_ONLY),
    (TechnologyContract, contract_pb2.TechnologyContract, []),
    (AchievementPackage, package_pb2.AchievementPackage, []),
], ids=["Achievement", "TechnologyContract", "AchievementPackage"])
def test_aggregate_fields_equal_the_proto_message_fields(aggregate, message, expected):
    assert field_mismatches(aggregate, message) == expected


def test_the_achievement_snapshot_has_exactly_the_message_fields(monkeypatch):
    from tests.unit.registry.lifecycle_world import drafted, world
    monkeypatch.setattr("services.registry.domain.text.tokenize", lambda value: value.split())
    _, deps = world()
    snapshot = drafted(deps).snapshot_after()
    assert set(snapshot) <= {f.name for f in achievement_pb2.Achievement.DESCRIPTOR.fields}
    assert snapshot["version"] == 2


EVENTS = [e for e in vars(events).values()
          if isinstance(e, type) and issubclass(e, Event) and e is not Event and not e.__name__.startswith("_")
          and not e.__name__.endswith("Event")]   # the shared bases (AchievementEvent, ContractEvent)


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__name__)
def test_event_fields_equal_the_event_message_fields(event):
    message = catalogue()[f"bth.registry.v1.{event.__name__}"].message
    assert [f.name for f in dataclasses.fields(event)] == [f.name for f in message.DESCRIPTOR.fields]
