"""The SLA sweep through the message bus on the real Mongo-wire server: due cases are found
by the repository query, each changed in its own unit of work, once."""

from datetime import UTC, timedelta

from services.common.clock import ManualClock
from services.common.identity import SYSTEM
from services.incubation import bootstrap
from services.incubation.domain import commands
from services.incubation.service_layer import handlers
from tests.incubation.test_green_channel import open_case


async def test_sweep_warns_then_escalates_each_case_once(gapi, platform):
    case, _ = await open_case(gapi, platform)
    host, deps = bootstrap.build(platform.settings("incubation"), ManualClock())
    try:
        warn, due = case.warn_at.ToDatetime(tzinfo=UTC), case.stage_due_at.ToDatetime(tzinfo=UTC)
        sweep = commands.DetectSlaBreaches
        before = await handlers.handle(sweep(warn - timedelta(minutes=1)), deps)
        assert case.case_id not in before
        assert case.case_id in await handlers.handle(sweep(warn + timedelta(minutes=1)), deps)
        assert case.case_id not in await handlers.handle(sweep(warn + timedelta(minutes=2)), deps)
        assert case.case_id in await handlers.handle(sweep(due + timedelta(minutes=1)), deps)
        assert case.case_id not in await handlers.handle(sweep(due + timedelta(days=30)), deps)
        stored = await handlers.handle(commands.GetCase(SYSTEM, case.case_id), deps)
        assert (stored.warned_stage, stored.escalated_stage, stored.escalations, stored.version) == (
            "SUBMITTED", "SUBMITTED", 1, 3)
    finally:
        await deps.registry.close()
        await host.client.close()
