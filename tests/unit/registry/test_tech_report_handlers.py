"""Technology report handlers on fakes: filing (for an achievement of the caller or a project
code), reading by sharing level, the access-request flow; refusals leave the report unchanged."""

import pytest

from services.common.errors import Forbidden, InvalidInput, NotFound, TransitionRefused
from services.registry.domain import report_commands as c
from services.registry.service_layer import handlers
from tests.unit.registry.reporting_world import OPERATOR, STRANGER, UNIV, OwnedAchievement, filed_report, world


def file(actor=UNIV, **kw) -> c.FileTechReport:
    return c.FileTechReport(**{"actor": actor, "title": "射频芯片技术报告", "content": "正文", "sharing": "RESTRICTED",
                               "summary": "摘要", "achievement_id": "ach-1", **kw})


def seeded(sharing="RESTRICTED"):
    uow, deps = world()
    uow.achievements.seed(OwnedAchievement(achievement_id="ach-1", organisation="org-univ"))
    uow.tech_reports.seed(filed_report(deps, project_code="", achievement_id="ach-1", owner="org-univ",
                                       sharing=sharing))
    return uow, deps


async def test_the_achievements_owner_files_a_report_and_reads_it_whole():
    uow, deps = seeded()
    view = await handlers.handle(file(), deps)
    assert {k: view[k] for k in ("holder", "region", "filed_by", "sharing", "achievement_id", "content",
                                 "content_withheld", "version")} == {
        "holder": "org-univ", "region": "HEBEI", "filed_by": "u-1", "sharing": "RESTRICTED", "achievement_id": "ach-1",
        "content": "正文", "content_withheld": False, "version": 1}
    assert sorted(uow.tech_reports.items) == sorted(["tr-1", view["report_id"]])
    assert uow.event_names() == ["TechReportFiled"]
    snapshot = uow.events[0].tech_report
    assert (snapshot["content"], snapshot["content_withheld"], snapshot["version"]) == ("", True, 1)


async def test_a_project_report_is_held_by_the_filing_organisation():
    uow, deps = world()
    view = await handlers.handle(file(STRANGER, achievement_id="", project_code="ZX-1", sharing="PUBLIC"), deps)
    assert (view["holder"], view["project_code"], view["content"]) == ("org-other", "ZX-1", "正文")
    assert uow.events[0].tech_report["content"] == "正文"      # PUBLIC: the event carries the content


@pytest.mark.parametrize(("cmd", "error", "field"), [
    (file(achievement_id="ach-9"), InvalidInput, "achievement_id"),
    (file(STRANGER), Forbidden, "achievement_id"),
    (file(sharing="SECRET"), InvalidInput, "sharing"),
    (file(achievement_id=""), InvalidInput, "achievement_id"),
    (file(achievement_id="", project_code="no spaces"), InvalidInput, "project_code"),
    (file(title=" "), InvalidInput, "title"),
    (file(content="x" * 200_001), InvalidInput, "content"),
])
async def test_refused_filings_store_nothing(cmd, error, field):
    uow, deps = seeded()
    with pytest.raises(error) as refused:
        await handlers.handle(cmd, deps)
    assert refused.value.field == field
    assert list(uow.tech_reports.items) == ["tr-1"] and uow.events == [] and uow.committed == 0


async def test_what_each_reader_sees_by_sharing_level():
    uow, deps = seeded()
    outsider = await handlers.handle(c.GetTechReport(STRANGER, "tr-1"), deps)
    assert (outsider["title"], outsider["content"], outsider["content_withheld"]) == ("技术报告", "", True)
    assert (await handlers.handle(c.GetTechReport(OPERATOR, "tr-1"), deps))["content"] == "正文"
    uow, deps = seeded("CONFIDENTIAL")
    with pytest.raises(NotFound) as hidden:
        await handlers.handle(c.GetTechReport(STRANGER, "tr-1"), deps)
    assert (str(hidden.value), hidden.value.field) == ("technology report tr-1 does not exist", "report_id")
    assert (await handlers.handle(c.GetTechReport(UNIV, "tr-1"), deps))["content"] == "正文"


async def test_a_requester_is_granted_access_by_the_holder_and_then_reads_the_content():
    uow, deps = seeded()
    requested = await handlers.handle(c.RequestReportAccess(STRANGER, "tr-1", "evaluating a licence"), deps)
    [request] = requested["access_requests"]
    assert (request["requester"], request["organisation"], request["status"], requested["version"]) == (
        "x-1", "org-other", "PENDING", 2)
    granted = await handlers.handle(c.DecideReportAccess(UNIV, "tr-1", request["request_id"], True, "ok"), deps)
    assert [(r["status"], r["decided_by"]) for r in granted["access_requests"]] == [("GRANTED", "u-1")]
    assert (await handlers.handle(c.GetTechReport(STRANGER, "tr-1"), deps))["content"] == "正文"
    assert uow.event_names() == ["TechReportAccessRequested", "TechReportAccessGranted"]
    assert uow.tech_reports.items["tr-1"].version == 3


@pytest.mark.parametrize(("make", "error", "field"), [
    (lambda rid: c.RequestReportAccess(STRANGER, "tr-1", "again"), TransitionRefused, "report_id"),
    (lambda rid: c.RequestReportAccess(UNIV, "tr-1", "mine"), TransitionRefused, "report_id"),
    (lambda rid: c.RequestReportAccess(OPERATOR, "tr-1", " "), InvalidInput, "reason"),
    (lambda rid: c.DecideReportAccess(STRANGER, "tr-1", rid, True), Forbidden, "report_id"),
    (lambda rid: c.DecideReportAccess(UNIV, "tr-1", "req-9", True), NotFound, "request_id"),
    (lambda rid: c.DecideReportAccess(UNIV, "tr-9", rid, True), NotFound, "report_id"),
])
async def test_refused_access_steps_leave_the_report_unchanged(make, error, field):
    uow, deps = seeded()
    requested = await handlers.handle(c.RequestReportAccess(STRANGER, "tr-1", "evaluating"), deps)
    request_id = requested["access_requests"][0]["request_id"]
    with pytest.raises(error) as refused:
        await handlers.handle(make(request_id), deps)
    assert refused.value.field == field
    stored = uow.tech_reports.items["tr-1"]
    assert (stored.version, [r.status for r in stored.access_requests]) == (2, ["PENDING"])
    assert uow.event_names() == ["TechReportAccessRequested"]
