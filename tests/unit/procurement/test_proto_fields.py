"""Every procurement aggregate (and its nested records) has exactly its proto message's
fields, except the search-index fields its snapshot leaves out; every domain event exactly
its event message's fields."""

import dataclasses

import pytest

from bth.procurement.v1 import model_pb2
from services.common.aggregate import Event
from services.common.contracts import catalogue
from services.procurement.domain import events
from services.procurement.domain.claim import InsuranceClaim
from services.procurement.domain.demand import Award, Demand
from services.procurement.domain.matching import Suggestions
from services.procurement.domain.product import Product
from tests.unit.proto_fields import field_mismatches


@pytest.mark.parametrize(("aggregate", "message", "internal"), [
    (Product, model_pb2.Product, ["price_value", "tokens"]), (Demand, model_pb2.Demand, ["tokens"]),
    (Award, model_pb2.Award, []), (InsuranceClaim, model_pb2.InsuranceClaim, []),
    (Suggestions, model_pb2.Suggestions, [])], ids=lambda v: getattr(v, "__name__", ""))
def test_aggregate_fields_equal_the_proto_message_fields(aggregate, message, internal):
    assert field_mismatches(aggregate, message) == [f"{aggregate.__name__}.{f}: only in the dataclass"
                                                    for f in internal]


def test_the_search_index_fields_never_leave_in_a_snapshot():
    from tests.unit.procurement.world import listed, open_demand, world
    _, deps = world()
    assert {"tokens", "price_value"} & set(listed(deps).snapshot()) == set()
    assert "tokens" not in open_demand(deps).snapshot()


EVENTS = [e for e in vars(events).values()
          if isinstance(e, type) and issubclass(e, Event) and e is not Event and not e.__name__.startswith("_")]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__name__)
def test_event_fields_equal_the_event_message_fields(event):
    message = catalogue()[f"bth.procurement.v1.{event.__name__}"].message
    assert [f.name for f in dataclasses.fields(event)] == [f.name for f in message.DESCRIPTOR.fields]
