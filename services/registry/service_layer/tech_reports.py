"""Technology report handlers `(cmd, uow, deps)`: file, read (what the caller may see),
request access, decide. Each returns the report as its caller may see it."""

import uuid

from services.common.errors import InvalidInput, NotFound
from services.registry.domain import report_commands as c
from services.registry.domain import tech_report
from services.registry.service_layer.deps import Deps


async def file_tech_report(cmd: c.FileTechReport, uow, deps: Deps) -> dict:
    owner = None
    if cmd.achievement_id:
        try:
            owner = (await uow.achievements.get(cmd.achievement_id)).organisation
        except NotFound:
            raise InvalidInput(f"achievement {cmd.achievement_id} does not exist", "achievement_id") from None
    report = tech_report.file(str(uuid.uuid4()), cmd.actor, deps.clock.now(), title=cmd.title,
                              sharing=cmd.sharing, content=cmd.content, summary=cmd.summary,
                              achievement_id=cmd.achievement_id, project_code=cmd.project_code,
                              achievement_owner=owner)
    await uow.tech_reports.add(report)
    return report.view(cmd.actor)


async def get_tech_report(cmd: c.GetTechReport, uow, deps: Deps) -> dict:
    return (await uow.tech_reports.get(cmd.report_id)).view(cmd.actor)


async def request_report_access(cmd: c.RequestReportAccess, uow, deps: Deps) -> dict:
    report = await uow.tech_reports.get(cmd.report_id)
    report.request_access(str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.reason)
    await uow.tech_reports.save(report)
    return report.view(cmd.actor)


async def decide_report_access(cmd: c.DecideReportAccess, uow, deps: Deps) -> dict:
    report = await uow.tech_reports.get(cmd.report_id)
    report.decide(cmd.request_id, cmd.actor, deps.clock.now(), cmd.grant, cmd.note)
    await uow.tech_reports.save(report)
    return report.view(cmd.actor)
