"""Technology reports (pure): filed by the holder organisation (the achievement's owner) for an
achievement or a funded project code, with a sharing level, and the access-request flow.

Who reads what:
  PUBLIC        anyone authenticated reads everything;
  RESTRICTED    anyone sees the metadata; the content only the holder, operators and
                requesters whose access request the holder GRANTED;
  CONFIDENTIAL  only the holder and operators; to anyone else the report does not exist.
Events carry the snapshot with `content` only for PUBLIC reports (events reach partners)."""

import re
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime
from enum import StrEnum

from services.common.aggregate import Aggregate, Event
from services.common.errors import Forbidden, NotFound, TransitionRefused, require
from services.common.identity import Principal
from services.common.plain import to_plain


class Sharing(StrEnum):
    PUBLIC = "PUBLIC"
    RESTRICTED = "RESTRICTED"
    CONFIDENTIAL = "CONFIDENTIAL"


@dataclass
class TechReportEvent(Event):
    report_id: str
    tech_report: dict
    actor: str
    note: str = ""


class TechReportFiled(TechReportEvent): ...
class TechReportAccessRequested(TechReportEvent): ...
class TechReportAccessGranted(TechReportEvent): ...
class TechReportAccessDenied(TechReportEvent): ...


@dataclass
class AccessRequest:
    request_id: str
    requester: str
    organisation: str
    reason: str
    requested_at: datetime
    status: str = "PENDING"       # PENDING | GRANTED | DENIED
    decided_by: str = ""
    decided_at: datetime | None = None
    note: str = ""


def _privileged(actor: Principal) -> bool:
    return actor.has("operator", "system")


_PROJECT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


@dataclass(kw_only=True)
class TechReport(Aggregate):
    report_id: str
    holder: str
    region: str
    filed_by: str
    title: str
    sharing: Sharing
    created_at: datetime
    updated_at: datetime
    achievement_id: str = ""
    project_code: str = ""
    summary: str = ""
    content: str = ""
    access_requests: list[AccessRequest] = dc_field(default_factory=list)

    @property
    def entity_id(self) -> str:
        return self.report_id

    # -- reading -------------------------------------------------------------------------
    def is_holder(self, actor: Principal) -> bool:
        return bool(actor.organisation) and actor.organisation == self.holder

    def may_see(self, actor: Principal) -> bool:
        return self.sharing != Sharing.CONFIDENTIAL or self.is_holder(actor) or _privileged(actor)

    def may_read_content(self, actor: Principal) -> bool:
        if self.is_holder(actor) or _privileged(actor) or self.sharing == Sharing.PUBLIC:
            return True
        return self.sharing == Sharing.RESTRICTED and any(
            r.requester == actor.subject and r.status == "GRANTED" for r in self.access_requests)

    def view(self, actor: Principal) -> dict:
        """What `actor` may see; NotFound for a confidential report of someone else."""
        if not self.may_see(actor):
            raise NotFound(f"technology report {self.report_id} does not exist", "report_id")
        plain = {**to_plain(self), "version": self.version, "content_withheld": False}
        if not self.may_read_content(actor):
            plain["content"], plain["content_withheld"] = "", True
        if not (self.is_holder(actor) or _privileged(actor)):
            plain["access_requests"] = [to_plain(r) for r in self.access_requests if r.requester == actor.subject]
        return plain

    def snapshot_after(self) -> dict:
        """The snapshot events carry (the version this change will have); content only if PUBLIC."""
        plain = super().snapshot_after()
        if self.sharing != Sharing.PUBLIC:
            plain["content"], plain["content_withheld"] = "", True
        return plain

    # -- access-request flow -------------------------------------------------------------
    def request_access(self, request_id: str, actor: Principal, now: datetime, reason: str) -> AccessRequest:
        if not self.may_see(actor):
            raise NotFound(f"technology report {self.report_id} does not exist", "report_id")
        if self.sharing != Sharing.RESTRICTED:
            raise TransitionRefused(f"access is requested only for RESTRICTED reports; this one is {self.sharing}",
                                    "sharing")
        if self.is_holder(actor):
            raise TransitionRefused("the holder organisation reads its own report", "report_id")
        require(0 < len(reason.strip()) <= 2000, "reason is required (at most 2000 characters)", "reason")
        if any(r.requester == actor.subject and r.status in ("PENDING", "GRANTED") for r in self.access_requests):
            raise TransitionRefused("you have a pending or granted request for this report already", "report_id")
        request = AccessRequest(request_id, actor.subject, actor.organisation, reason, now)
        self.access_requests.append(request)
        self.updated_at = now
        self.record_change(TechReportAccessRequested, actor.subject, reason)
        return request

    def decide(self, request_id: str, actor: Principal, now: datetime, grant: bool, note: str = "") -> None:
        if not self.may_see(actor):
            raise NotFound(f"technology report {self.report_id} does not exist", "report_id")
        if not (self.is_holder(actor) or _privileged(actor)):
            raise Forbidden("only the holder organisation decides access requests", "report_id")
        request = next((r for r in self.access_requests if r.request_id == request_id), None)
        if request is None:
            raise NotFound(f"access request {request_id} does not exist", "request_id")
        if request.status != "PENDING":
            raise TransitionRefused(f"access request {request_id} is {request.status} already", "request_id")
        require(len(note) <= 2000, "note is at most 2000 characters", "note")
        request.status = "GRANTED" if grant else "DENIED"
        request.decided_by, request.decided_at, request.note = actor.subject, now, note
        self.updated_at = now
        cls = TechReportAccessGranted if grant else TechReportAccessDenied
        self.record_change(cls, actor.subject, request_id)


def file(report_id: str, actor: Principal, now: datetime, *, title: str, sharing: str, content: str,
         summary: str = "", achievement_id: str = "", project_code: str = "",
         achievement_owner: str | None = None) -> TechReport:
    """`achievement_owner`: the owning organisation of `achievement_id` (looked up by the caller)."""
    if not actor.organisation:
        raise Forbidden("only a member of an organisation files technology reports", "organisation")
    require(sharing in Sharing.__members__, "sharing must be PUBLIC, RESTRICTED or CONFIDENTIAL", "sharing")
    require(bool(achievement_id or project_code), "name the achievement_id or the funded project_code",
            "achievement_id")
    if project_code:
        require(bool(_PROJECT_CODE.match(project_code)), "project_code is 1-64 letters, digits, . _ / -",
                "project_code")
    if achievement_id and achievement_owner != actor.organisation and not _privileged(actor):
        raise Forbidden("only the achievement's owning organisation files its technology reports", "achievement_id")
    require(0 < len(title.strip()) <= 200, "title is required (at most 200 characters)", "title")
    require(len(summary) <= 2000, "summary is at most 2000 characters", "summary")
    require(0 < len(content.strip()) <= 200_000, "content is required (at most 200000 characters)", "content")
    holder = achievement_owner if achievement_id and achievement_owner else actor.organisation
    report = TechReport(report_id=report_id, holder=holder, region=actor.region, filed_by=actor.subject,
                        title=title, sharing=Sharing(sharing), created_at=now, updated_at=now,
                        achievement_id=achievement_id, project_code=project_code, summary=summary, content=content)
    report.record_change(TechReportFiled, actor.subject)
    return report
