"""Work-queue building blocks (pure): the rule check, the keyset cursor, the deadline-day bound,
and each service's rule table against the WorkQueue vocabulary of proto."""

from datetime import UTC, datetime

import pytest

from services.common import keyset
from services.common.errors import Forbidden, InvalidInput
from services.common.identity import Principal
from services.common.queues import Rule, WorkQueue, check
from services.common.vocab import WORK_QUEUES
from services.incubation.domain import queues as incubation
from services.procurement.domain import queues as procurement
from services.registry.domain import queues as registry

RULES = {"MY_DEMANDS": Rule(("buyer",), ("OPEN", "AWARDED"), ("OPEN",), due=True),
         "MY_AWARDS": Rule(("buyer",)),
         "ANNUAL_REPORTS": Rule(("supervisor",), ("FILED",), ("FILED",), due=True, regional=False)}
BUYER = Principal("b-1", "org-b", "TIANJIN", frozenset({"buyer"}))


def test_every_work_queue_has_exactly_one_rule():
    tables = [registry.ACHIEVEMENTS, registry.ANNUAL_REPORTS, registry.OBLIGATIONS, procurement.PRODUCTS,
              procurement.CLAIMS, procurement.DEMANDS, procurement.AWARDS, incubation.STATIONS, incubation.CASES]
    names = [name for table in tables for name in table]
    assert sorted(names) == sorted(WORK_QUEUES) and len(WORK_QUEUES) == 14


def test_a_checked_request_defaults_to_the_working_set_and_twenty_items():
    page = check(RULES, WorkQueue(BUYER, "MY_DEMANDS"))
    assert (page.states, page.region, page.due_before, page.page_size, page.cursor) == (("OPEN",), "", None, 20, "")
    assert check(RULES, WorkQueue(BUYER, "MY_DEMANDS", "AWARDED", "HEBEI", page_size=200)).states == ("AWARDED",)


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (WorkQueue(Principal("x", "o", "BEIJING", frozenset({"expert"})), "MY_DEMANDS"), Forbidden, "role"),
    (WorkQueue(BUYER, "SCORING"), InvalidInput, "queue"),
    (WorkQueue(BUYER, "MY_DEMANDS", state="CLOSED"), InvalidInput, "state"),
    (WorkQueue(BUYER, "MY_AWARDS", state="OPEN"), InvalidInput, "state"),
    (WorkQueue(BUYER, "MY_DEMANDS", region="MARS"), InvalidInput, "region"),
    (WorkQueue(BUYER, "MY_AWARDS", due_before=datetime(2026, 1, 1, tzinfo=UTC)), InvalidInput, "due_before"),
    (WorkQueue(BUYER, "MY_DEMANDS", page_size=201), InvalidInput, "page_size"),
    (WorkQueue(Principal("s", "o", "", frozenset({"supervisor"})), "ANNUAL_REPORTS", region="BEIJING"),
     InvalidInput, "region"),
])
def test_a_refused_request_names_the_field(cmd, error, field):
    with pytest.raises(error) as refused:
        check(RULES, cmd)
    assert refused.value.field == field


@pytest.mark.parametrize("value", [datetime(2026, 3, 1, 8, 30, tzinfo=UTC), "2026-04-30", 7])
def test_the_cursor_round_trips_its_sort_value_and_id(value):
    assert keyset.decode(keyset.encode(value, "id-1")) == (value, "id-1", True)
    assert keyset.decode(keyset.encode(value, "id-1", ties=False)) == (value, "id-1", False)


@pytest.mark.parametrize("cursor", ["x", "bm90IGpzb24=", keyset.encode("v", "id")[:-4]])
def test_a_foreign_cursor_is_bad_input(cursor):
    with pytest.raises(InvalidInput) as refused:
        keyset.decode(cursor)
    assert refused.value.field == "cursor"


def test_after_a_cursor_the_query_continues_with_the_ties_then_the_later_values():
    when, due = datetime(2026, 3, 1, tzinfo=UTC), datetime(2026, 4, 1, tzinfo=UTC)
    cursor = keyset.encode(when, "d-1")
    assert keyset.after({"status": "OPEN"}, "deadline", cursor) == [
        {"status": "OPEN", "deadline": when, "_id": {"$gt": "d-1"}}, {"status": "OPEN", "deadline": {"$gt": when}}]
    assert keyset.after({"status": "OPEN", "deadline": {"$lt": due}}, "deadline", cursor) == [
        {"status": "OPEN", "deadline": {"$lt": due, "$eq": when}, "_id": {"$gt": "d-1"}},
        {"status": "OPEN", "deadline": {"$lt": due, "$gt": when}}]
    assert keyset.after({"status": "OPEN"}, "deadline", "") == [{"status": "OPEN"}]
    no_ties = keyset.encode(when, "d-1", ties=False)    # the page saw the next item has a later value
    assert keyset.after({"status": "OPEN"}, "deadline", no_ties) == [{"status": "OPEN", "deadline": {"$gt": when}}]


def test_conditions_on_one_field_that_cannot_merge_are_kept_apart():
    query = {"deadline": {"$gt": 1}}
    assert keyset.narrowed(query, {"deadline": {"$gt": 2}}) == {"$and": [query, {"deadline": {"$gt": 2}}]}


@pytest.mark.parametrize(("moment", "day"), [
    ("2026-05-01T00:00:00+08:00", "2026-04-29"),    # 04-30 ends exactly then: not strictly before
    ("2026-05-01T00:00:01+08:00", "2026-04-30"),
    ("2026-04-30T16:00:00+00:00", "2026-04-29"),    # the same instant in UTC
    ("2026-04-30T23:59:59+08:00", "2026-04-29"),
])
def test_the_last_deadline_day_ending_before_a_moment(moment, day):
    assert registry.last_day_due_before(datetime.fromisoformat(moment)) == day
