"""The reporting half's aggregates (annual reports, oversight lists, funded projects,
technology reports, saved searches) have their proto messages' fields, and every event of
theirs exactly its event message's fields."""

import dataclasses

import pytest

from bth.registry.v1 import annual_report_pb2, saved_search_pb2, tech_report_pb2
from services.common.aggregate import Event
from services.common.contracts import catalogue
from services.registry.domain import reporting_events, saved_search, tech_report
from services.registry.domain.annual_report import AnnualReport
from services.registry.domain.obligation import FundedProject
from services.registry.domain.oversight import Oversight
from tests.unit.proto_fields import field_mismatches


@pytest.mark.parametrize(("aggregate", "message"), [
    (AnnualReport, annual_report_pb2.AnnualReport), (Oversight, annual_report_pb2.Oversight),
    (FundedProject, annual_report_pb2.FundedProject), (saved_search.SavedSearch, saved_search_pb2.SavedSearch)])
def test_aggregate_fields_equal_the_proto_message_fields(aggregate, message):
    assert field_mismatches(aggregate, message) == []


def test_a_technology_report_differs_from_its_message_only_by_the_per_reader_field():
    # the message is what one reader sees: content_withheld is decided per reader (TechReport.view)
    assert field_mismatches(tech_report.TechReport, tech_report_pb2.TechReport) == [
        "TechReport.content_withheld: only in bth.registry.v1.TechReport"]


EVENTS = [e for module in (reporting_events, tech_report, saved_search) for e in vars(module).values()
          if isinstance(e, type) and issubclass(e, Event) and e is not Event and e.__module__ == module.__name__
          and not e.__name__.endswith("Event")]


@pytest.mark.parametrize("event", EVENTS, ids=lambda e: e.__name__)
def test_event_fields_equal_the_event_message_fields(event):
    message = catalogue()[f"bth.registry.v1.{event.__name__}"].message
    assert [f.name for f in dataclasses.fields(event)] == [f.name for f in message.DESCRIPTOR.fields]


def test_every_event_of_the_half_is_checked():
    assert len(EVENTS) == 17   # 10 annual report, oversight and obligation events, 4 report, 3 saved-search
