"""The achievement aggregate: the standard record of plan item 1 and its lifecycle (pure).

draft → submitted → (operator approves) in notice 公示 → registered (numbered, certified)
                  ↘ returned (for revision, may be resubmitted) | rejected
in notice: anyone may lodge an objection; an upheld objection returns the achievement.
draft / submitted / returned / registered → withdrawn (by the owner)."""

from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from datetime import datetime, timedelta
from enum import StrEnum

from services.common.aggregate import Aggregate
from services.common.deals import Deal
from services.common.errors import Forbidden, NotFound, TransitionRefused, require
from services.common.identity import Principal
from services.common.plain import to_plain
from services.registry.domain import events, numbering, text
from services.registry.domain.validation import validate_record, validate_transformation
from services.registry.domain.values import (
    AuditEntry,
    Certificate,
    Funding,
    LinkedIp,
    Objection,
    TeamMember,
    Transformation,
)

__all__ = ["Achievement", "Status", "TeamMember", "Funding", "LinkedIp", "draft", "validate_record"]


class Status(StrEnum):
    DRAFT = "DRAFT"
    SUBMITTED = "SUBMITTED"
    IN_NOTICE = "IN_NOTICE"
    REGISTERED = "REGISTERED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


PUBLIC = (Status.IN_NOTICE, Status.REGISTERED)
LIVE = frozenset(Status) - {Status.REJECTED, Status.WITHDRAWN}   # holds its title and project code
REVISABLE = frozenset({"title", "abstract", "field", "keywords", "type", "trl", "team", "funding", "linked_ip",
                       "transfer_modes", "indicative_price"})


def _operator(actor: Principal) -> bool:
    return actor.has("operator", "system")


@dataclass(kw_only=True)
class Achievement(Aggregate):
    achievement_id: str
    title: str
    abstract: str
    field: str
    type: str
    trl: int
    organisation: str
    region: str
    owner: str
    created_at: datetime
    updated_at: datetime
    status: Status = Status.DRAFT
    keywords: list[str] = dc_field(default_factory=list)
    team: list[TeamMember] = dc_field(default_factory=list)
    funding: Funding = dc_field(default_factory=Funding)
    linked_ip: list[LinkedIp] = dc_field(default_factory=list)
    transfer_modes: list[str] = dc_field(default_factory=list)
    indicative_price: str = ""
    registration_number: str = ""
    notice_ends_at: datetime | None = None
    audit: list[AuditEntry] = dc_field(default_factory=list)
    objections: list[Objection] = dc_field(default_factory=list)
    transformations: list[Transformation] = dc_field(default_factory=list)
    certificate: Certificate | None = None
    review_note: str = ""
    search_terms: dict[str, list[str]] = dc_field(default_factory=dict)  # per field, for search
    terms: list[str] = dc_field(default_factory=list)                    # union, indexed

    @property
    def entity_id(self) -> str:
        return self.achievement_id

    def snapshot(self) -> dict:
        plain = to_plain(self)
        plain.pop("search_terms", None)
        plain.pop("terms", None)
        return plain

    def snapshot_after(self) -> dict:
        """Snapshot with the version this change will have (record() raises it by one)."""
        return {**self.snapshot(), "version": self.version + 1}

    # -- helpers -------------------------------------------------------------------------
    def _owner_or_operator(self, actor: Principal, action: str) -> None:
        if actor.organisation != self.organisation and not _operator(actor):
            raise Forbidden(f"only the owning organisation may {action} this achievement", "achievement_id")

    def _from(self, action: str, *allowed: Status) -> None:
        if self.status not in allowed:
            raise TransitionRefused(f"cannot {action} an achievement that is {self.status}", "status")

    def _move(self, action: str, actor: Principal, to: Status, now: datetime, event_cls, note: str | None = None
              ) -> None:
        """`note=None`: the event carries no note (AchievementSubmitted's message has none)."""
        self.audit.append(AuditEntry(action, actor.subject, actor.organisation, now, str(self.status), str(to),
                                     note or ""))
        self.status, self.updated_at = to, now
        self.record_change(event_cls, actor.subject, *(() if note is None else (note,)))

    # -- lifecycle -----------------------------------------------------------------------
    def submit(self, actor: Principal, now: datetime) -> None:
        self._owner_or_operator(actor, "submit")
        self._from("submit", Status.DRAFT, Status.RETURNED)
        self._move("submit", actor, Status.SUBMITTED, now, events.AchievementSubmitted)

    def revise(self, actor: Principal, now: datetime, changes: dict, note: str = "") -> None:
        """The owner edits a draft or a record returned for revision: the record with the changes
        is checked whole before anything changes; a new version, an audit entry and
        AchievementRevised (its note: the fields changed) record it."""
        if actor.organisation != self.organisation:
            raise Forbidden("only the owning organisation may revise this achievement", "achievement_id")
        self._from("revise", Status.DRAFT, Status.RETURNED)
        unknown = sorted(set(changes) - REVISABLE)
        require(not unknown, f"cannot revise {', '.join(unknown)} (one of {', '.join(sorted(REVISABLE))})",
                "fields")
        require(bool(changes), "name at least one field to revise", "fields")
        require(len(note) <= 2000, "note is at most 2000 characters", "note")
        revised = replace(self, **_record_values(changes))
        validate_record(revised)
        for name in changes:
            setattr(self, name, getattr(revised, name))
        self.search_terms = text.index_terms(self.title, self.keywords, self.abstract)
        self.terms = sorted({t for ts in self.search_terms.values() for t in ts})
        fields = ", ".join(sorted(changes))
        self.audit.append(AuditEntry("revise", actor.subject, actor.organisation, now, str(self.status),
                                     str(self.status), note or f"revised: {fields}"))
        self.updated_at = now
        self.record_change(events.AchievementRevised, actor.subject, fields)

    def approve(self, actor: Principal, now: datetime, notice_days: int, note: str = "") -> None:
        if not _operator(actor):
            raise Forbidden("only an operator may approve in formal review", "actor")
        self._from("approve", Status.SUBMITTED)
        self.notice_ends_at = now + timedelta(days=notice_days)
        self._move("approve", actor, Status.IN_NOTICE, now, events.AchievementApproved, note)

    def return_for_revision(self, actor: Principal, now: datetime, note: str) -> None:
        if not _operator(actor):
            raise Forbidden("only an operator may return an achievement", "actor")
        require(bool(note.strip()), "a note saying what to revise is required", "note")
        self._from("return", Status.SUBMITTED)
        self.review_note = note
        self._move("return", actor, Status.RETURNED, now, events.AchievementReturned, note)

    def reject(self, actor: Principal, now: datetime, note: str) -> None:
        if not _operator(actor):
            raise Forbidden("only an operator may reject an achievement", "actor")
        require(bool(note.strip()), "a note giving the reason is required", "note")
        self._from("reject", Status.SUBMITTED)
        self.review_note = note
        self._move("reject", actor, Status.REJECTED, now, events.AchievementRejected, note)

    def withdraw(self, actor: Principal, now: datetime, note: str = "") -> None:
        self._owner_or_operator(actor, "withdraw")
        self._from("withdraw", Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.REGISTERED)
        self._move("withdraw", actor, Status.WITHDRAWN, now, events.AchievementWithdrawn, note)

    def lodge_objection(self, objection_id: str, actor: Principal, now: datetime, reason: str) -> None:
        require(0 < len(reason.strip()) <= 2000, "reason is required (at most 2000 characters)", "reason")
        self._from("object to", Status.IN_NOTICE)
        if self.notice_ends_at is not None and now >= self.notice_ends_at:
            raise TransitionRefused("the public notice period has ended", "notice_ends_at")
        self.objections.append(Objection(objection_id, actor.subject, actor.organisation, reason, now))
        self.audit.append(AuditEntry("object", actor.subject, actor.organisation, now, str(self.status),
                                     str(self.status), reason))
        self.updated_at = now
        self.record_change(events.ObjectionLodged, actor.subject, reason)

    def resolve_objection(self, objection_id: str, actor: Principal, now: datetime, uphold: bool,
                          resolution: str) -> None:
        if not _operator(actor):
            raise Forbidden("only an operator may resolve objections", "actor")
        require(bool(resolution.strip()), "a resolution is required", "resolution")
        objection = next((o for o in self.objections if o.objection_id == objection_id), None)
        if objection is None:
            raise NotFound(f"objection {objection_id} does not exist", "objection_id")
        if objection.status != "OPEN":
            raise TransitionRefused(f"objection {objection_id} is {objection.status} already", "objection_id")
        self._from("resolve objections of", Status.IN_NOTICE)
        objection.status = "UPHELD" if uphold else "DISMISSED"
        objection.resolution, objection.resolved_by = resolution, actor.subject
        if uphold:
            self.review_note = resolution
            self.notice_ends_at = None
            self._move("uphold_objection", actor, Status.RETURNED, now, events.ObjectionResolved, resolution)
        else:
            self.audit.append(AuditEntry("dismiss_objection", actor.subject, actor.organisation, now,
                                         str(self.status), str(self.status), resolution))
            self.updated_at = now
            self.record_change(events.ObjectionResolved, actor.subject, resolution)

    def notice_concluded(self, now: datetime) -> bool:
        """In notice, the period over, and no objection still open."""
        return (self.status == Status.IN_NOTICE and self.notice_ends_at is not None and now >= self.notice_ends_at
                and all(o.status != "OPEN" for o in self.objections))

    def register(self, actor: Principal, now: datetime, body_code: str, serial: int) -> None:
        self._from("register", Status.IN_NOTICE)
        if not self.notice_concluded(now):
            raise TransitionRefused("the notice has not ended or objections are open", "notice_ends_at")
        number = numbering.registration_number(body_code, now.year, self.type, serial)
        self.registration_number = number
        self.certificate = Certificate(numbering.certificate_id(number), number, self.organisation, self.title, now)
        self._move("register", actor, Status.REGISTERED, now, events.AchievementRegistered, number)

    def record_transformation(self, actor: Principal, now: datetime, deal: Transformation) -> None:
        self._owner_or_operator(actor, "record transformations of")
        self._from("record a transformation of", Status.REGISTERED)
        validate_transformation(deal)
        self.transformations.append(deal)
        self.audit.append(AuditEntry("record_transformation", actor.subject, actor.organisation, now,
                                     str(self.status), str(self.status), f"{deal.kind} {deal.amount}"))
        self.updated_at = now
        dealt = Deal(deal.kind, deal.amount, self.field, self.region, deal.counterparty_region, deal.date,
                     self.organisation, deal.counterparty, deal.transformation_id)
        self.record_change(events.TransformationRecorded, actor.subject, deal.transformation_id, dealt)


def _record_values(record: dict) -> dict:
    """The record's nested parts (team, funding, linked IP) as value objects."""
    values = dict(record)
    if "team" in values:
        values["team"] = [TeamMember(**m) for m in values["team"]]
    if "funding" in values:
        values["funding"] = Funding(**values["funding"])
    if "linked_ip" in values:
        values["linked_ip"] = [LinkedIp(**i) for i in values["linked_ip"]]
    return values


def draft(achievement_id: str, actor: Principal, now: datetime, **record) -> Achievement:
    """A new draft owned by the caller's organisation and region; validated whole."""
    record = _record_values({"team": [], "funding": {}, "linked_ip": [], **record})
    achievement = Achievement(achievement_id=achievement_id, organisation=actor.organisation,
                              region=actor.region, owner=actor.subject, created_at=now, updated_at=now,
                              **record)
    validate_record(achievement)
    achievement.search_terms = text.index_terms(achievement.title, achievement.keywords, achievement.abstract)
    achievement.terms = sorted({t for ts in achievement.search_terms.values() for t in ts})
    achievement.audit.append(AuditEntry("draft", actor.subject, actor.organisation, now, "", str(Status.DRAFT)))
    achievement.record_change(events.AchievementDrafted, actor.subject)
    return achievement
