"""Technology report handlers: file, read (what the caller may see), request access, decide."""

import uuid

from services.common.errors import InvalidInput, NotFound
from services.registry.domain import report_commands as c
from services.registry.domain import tech_report
from services.registry.service_layer.deps import Deps


async def file_tech_report(cmd: c.FileTechReport, deps: Deps) -> dict:
    async with deps.uow() as uow:
        owner = None
        if cmd.achievement_id:
            try:
                owner = (await deps.achievements(uow).get(cmd.achievement_id)).organisation
            except NotFound:
                raise InvalidInput(f"achievement {cmd.achievement_id} does not exist", "achievement_id") from None
        report = tech_report.file(str(uuid.uuid4()), cmd.actor, deps.clock.now(), title=cmd.title,
                                  sharing=cmd.sharing, content=cmd.content, summary=cmd.summary,
                                  achievement_id=cmd.achievement_id, project_code=cmd.project_code,
                                  achievement_owner=owner)
        await deps.tech_reports(uow).add(report)
        await uow.commit()
    return report.view(cmd.actor)


async def get_tech_report(cmd: c.GetTechReport, deps: Deps) -> dict:
    async with deps.uow() as uow:
        report = await deps.tech_reports(uow).get(cmd.report_id)
    return report.view(cmd.actor)


async def _change(deps: Deps, report_id: str, actor, change) -> dict:
    async with deps.uow() as uow:
        repo = deps.tech_reports(uow)
        report = await repo.get(report_id)
        change(report)
        await repo.save(report)
        await uow.commit()
    return report.view(actor)


async def request_report_access(cmd: c.RequestReportAccess, deps: Deps) -> dict:
    return await _change(deps, cmd.report_id, cmd.actor, lambda r: r.request_access(
        str(uuid.uuid4()), cmd.actor, deps.clock.now(), cmd.reason))


async def decide_report_access(cmd: c.DecideReportAccess, deps: Deps) -> dict:
    return await _change(deps, cmd.report_id, cmd.actor, lambda r: r.decide(
        cmd.request_id, cmd.actor, deps.clock.now(), cmd.grant, cmd.note))
