"""Achievement lifecycle, pure domain (no I/O): every transition allowed and refused."""

from datetime import UTC, datetime, timedelta

import pytest

from services.common.errors import Forbidden, InvalidInput, TransitionRefused
from services.common.identity import SYSTEM, Principal
from services.registry.domain import events, model, numbering
from services.registry.domain.values import Transformation

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
OWNER = Principal("alice", "org-a", "BEIJING", frozenset({"institution"}))
OTHER = Principal("bob", "org-b", "TIANJIN", frozenset({"institution"}))
OPERATOR = Principal("op", "platform", "BEIJING", frozenset({"operator"}))
RECORD = {"title": "低功耗射频芯片", "abstract": "RF", "field": "5g", "type": "patent", "trl": 6}


def drafted() -> model.Achievement:
    return model.draft("a-1", OWNER, T0, **RECORD)


def in_notice() -> model.Achievement:
    a = drafted()
    a.submit(OWNER, T0)
    a.approve(OPERATOR, T0, 30)
    return a


def test_full_path_to_registration_with_number_certificate_and_audit():
    a = in_notice()
    assert a.status == model.Status.IN_NOTICE and a.notice_ends_at == T0 + timedelta(days=30)
    assert not a.notice_concluded(T0 + timedelta(days=29))
    with pytest.raises(TransitionRefused):
        a.register(SYSTEM, T0 + timedelta(days=29), "110000", 1)
    end = T0 + timedelta(days=30)
    a.register(SYSTEM, end, "110000", 7)
    assert a.status == model.Status.REGISTERED
    assert a.registration_number == "110000-2026-P-000007"
    assert a.certificate.certificate_id == "CERT-110000-2026-P-000007" and a.certificate.holder == "org-a"
    assert [(e.action, e.actor, e.from_state, e.to_state) for e in a.audit] == [
        ("draft", "alice", "", "DRAFT"), ("submit", "alice", "DRAFT", "SUBMITTED"),
        ("approve", "op", "SUBMITTED", "IN_NOTICE"), ("register", "system", "IN_NOTICE", "REGISTERED")]
    assert [type(e).__name__ for e in a.events] == ["AchievementDrafted", "AchievementSubmitted",
                                                   "AchievementApproved", "AchievementRegistered"]
    assert a.version == 4 and a.events[-1].achievement["version"] == 4
    assert "terms" not in a.events[-1].achievement


def test_who_may_do_what():
    a = drafted()
    with pytest.raises(Forbidden):
        a.submit(OTHER, T0)
    a.submit(OWNER, T0)
    for act in (lambda: a.approve(OWNER, T0, 30), lambda: a.return_for_revision(OWNER, T0, "x"),
                lambda: a.reject(OTHER, T0, "x")):
        with pytest.raises(Forbidden):
            act()
    with pytest.raises(Forbidden):
        a.withdraw(OTHER, T0)
    assert a.status == model.Status.SUBMITTED and a.version == 2


def test_refused_transitions_name_the_status():
    a = drafted()
    with pytest.raises(TransitionRefused) as exc:
        a.approve(OPERATOR, T0, 30)
    assert exc.value.field == "status"
    with pytest.raises(TransitionRefused):
        a.lodge_objection("o1", OTHER, T0, "mine")
    with pytest.raises(TransitionRefused):
        a.record_transformation(OWNER, T0, Transformation("t", "licence", "X", "HEBEI", "1", "2026-01-01", "a", T0))
    a.submit(OWNER, T0)
    with pytest.raises(TransitionRefused):
        a.submit(OWNER, T0)


def test_return_then_resubmit_and_reject_need_notes():
    a = drafted()
    a.submit(OWNER, T0)
    with pytest.raises(InvalidInput) as exc:
        a.return_for_revision(OPERATOR, T0, " ")
    assert exc.value.field == "note"
    a.return_for_revision(OPERATOR, T0, "add the patent number")
    assert a.status == model.Status.RETURNED and a.review_note == "add the patent number"
    a.submit(OWNER, T0)
    a.reject(OPERATOR, T0, "not an achievement")
    assert a.status == model.Status.REJECTED
    with pytest.raises(TransitionRefused):
        a.withdraw(OWNER, T0)


def test_objection_upheld_returns_dismissed_keeps_notice_open_one_blocks_registration():
    a = in_notice()
    a.lodge_objection("o1", OTHER, T0 + timedelta(days=1), "we own this patent")
    assert not a.notice_concluded(T0 + timedelta(days=31))
    a.resolve_objection("o1", OPERATOR, T0 + timedelta(days=31), False, "evidence insufficient")
    assert a.status == model.Status.IN_NOTICE and a.objections[0].status == "DISMISSED"
    assert a.notice_concluded(T0 + timedelta(days=31))
    with pytest.raises(TransitionRefused):
        a.resolve_objection("o1", OPERATOR, T0, True, "again")
    b = in_notice()
    b.lodge_objection("o2", OTHER, T0, "plagiarised")
    with pytest.raises(Forbidden):
        b.resolve_objection("o2", OWNER, T0, True, "ok")
    b.resolve_objection("o2", OPERATOR, T0, True, "confirmed")
    assert b.status == model.Status.RETURNED and b.notice_ends_at is None
    assert isinstance(b.events[-1], events.ObjectionResolved)
    c = in_notice()
    with pytest.raises(TransitionRefused) as exc:
        c.lodge_objection("o3", OTHER, T0 + timedelta(days=30), "late")
    assert exc.value.field == "notice_ends_at"


def test_transformation_validated_and_appended_then_withdraw():
    a = in_notice()
    a.register(SYSTEM, T0 + timedelta(days=30), "110000", 1)
    bad = Transformation("t1", "licence", "Hebei Co", "HEBEI", "-5", "2026-04-01", "alice", T0)
    with pytest.raises(InvalidInput) as exc:
        a.record_transformation(OWNER, T0, bad)
    assert exc.value.field == "amount" and a.transformations == []
    with pytest.raises(InvalidInput) as exc:
        a.record_transformation(OWNER, T0, Transformation("t1", "gift", "X", "HEBEI", "1", "2026-04-01", "a", T0))
    assert exc.value.field == "kind"
    good = Transformation("t1", "licence", "Hebei Co", "HEBEI", "500000.00", "2026-04-01", "alice", T0)
    a.record_transformation(OWNER, T0, good)
    assert a.transformations == [good]
    a.withdraw(OWNER, T0, "superseded")
    assert a.status == model.Status.WITHDRAWN


def test_bad_record_names_the_field():
    for patch, field in (({"trl": 10}, "trl"), ({"field": "astrology"}, "field"), ({"type": "poem"}, "type"),
                         ({"indicative_price": "-1"}, "indicative_price"),
                         ({"funding": {"fiscal": True}}, "funding.project_code")):
        with pytest.raises(InvalidInput) as exc:
            model.draft("x", OWNER, T0, **{**RECORD, **patch})
        assert exc.value.field == field


def test_registration_numbers_are_deterministic():
    assert numbering.registration_number("110000", 2026, "software", 42) == "110000-2026-S-000042"
    assert numbering.counter_key("110000", 2026) == "registration:110000:2026"
