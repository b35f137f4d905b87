"""SLA timers: with the shared controllable clock, the faust worker's timer raises the
warning (80 % of the stage's time) and then the escalation, each once per stage, and they
arrive on Kafka within seconds; the registry being unreachable refuses a case, writing nothing."""

from datetime import UTC, datetime, timedelta

import pytest

from bth.incubation.v1 import incubation_service_pb2 as pb
from services.common.errors import Unavailable
from services.incubation import bootstrap
from services.incubation.domain import commands
from services.incubation.service_layer import handlers
from tests.incubation.conftest import TopicReader
from tests.incubation.support import OPERATOR, uid, who
from tests.incubation.test_green_channel import act, open_case


def ts(t) -> datetime:
    return t.ToDatetime(tzinfo=UTC)


async def test_breach_escalates_once_per_stage_and_reaches_kafka(gapi, platform, kafka_settings):
    case, people = await open_case(gapi, platform)
    due, warn = ts(case.stage_due_at), ts(case.warn_at)
    entered = ts(case.stage_entered_at)
    assert warn - entered == (due - entered) * 0.8
    async with TopicReader(kafka_settings, "bth.incubation.case.v1") as reader:
        platform.clock.advance(seconds=(warn - platform.clock.now()).total_seconds() + 60)
        warning = (await reader.wait_for(case.case_id, "CaseSlaWarning", timeout=6))[0]
        assert warning.stage == "SUBMITTED" and list(warning.regions) == ["BEIJING", "TIANJIN"]
        assert warning.station_id == case.station_id and warning.case.warned_stage == "SUBMITTED"

        platform.clock.advance(seconds=(due - platform.clock.now()).total_seconds() + 60)
        escalated = (await reader.wait_for(case.case_id, "CaseEscalated", timeout=6))[0]
        assert escalated.stage == "SUBMITTED" and list(escalated.regions) == ["BEIJING", "TIANJIN"]
        assert ts(escalated.due_at) == due and escalated.case.escalations == 1

        # idempotent: calling the handler again (and more timer ticks) raises nothing new
        host, deps = bootstrap.build(platform.settings("incubation"), platform.clock)
        assert await handlers.detect_sla_breaches(platform.clock.now(), deps) == 0
        await host.client.close()
        listed = await gapi.call("ListCases", pb.ListCasesRequest(station_id=case.station_id, overdue=True),
                                 OPERATOR)
        assert [c.case_id for c in listed.items] == [case.case_id]

        # the next stage has its own deadline and its own escalation
        name, req = act("accept", case.case_id)
        accepted = await gapi.call(name, req, people["station"])
        assert accepted.stage == "ACCEPTED" and ts(accepted.stage_due_at) > platform.clock.now()
        platform.clock.advance(seconds=(ts(accepted.stage_due_at) - platform.clock.now()).total_seconds() + 60)
        second = await reader.wait_for(case.case_id, "CaseEscalated", count=2, timeout=6)
        assert second[1].stage == "ACCEPTED" and second[1].case.escalations == 2
        # a breach found after a long jump raises the escalation alone (no late warning)
        assert len(reader.of(case.case_id, "CaseSlaWarning")) == 1
        await reader.poll()
        assert len(reader.of(case.case_id, "CaseEscalated")) == 2


async def test_deadlines_count_working_days_only(gapi, platform):
    case, _ = await open_case(gapi, platform)
    entered, due = ts(case.stage_entered_at), ts(case.stage_due_at)
    days, d = 0, entered
    while d < due:
        d += timedelta(days=1)
        days += d.weekday() < 5
    assert days == 2 and due.weekday() < 5 and due.time() == entered.time()


async def test_registry_unreachable_refuses_and_writes_nothing(gapi, platform):
    from services import devinfra
    holder = who(uid("org-univ-"), "BEIJING", "institution")
    settings = platform.settings("incubation").model_copy(update={"registry_addr": f"127.0.0.1:{devinfra.free_port()}",
                                                                   "grpc_timeout_seconds": 1.0})
    host, deps = bootstrap.build(settings, platform.clock)
    case, _ = await open_case(gapi, platform)  # an active station to name
    before = (await host.db["cases"].count_documents({}), await host.db["outbox"].count_documents({}))
    cmd = commands.SubmitCase(holder, "any-achievement", {"organisation": "org-e", "region": "HEBEI",
                                                          "kind": "ENTERPRISE"}, "transfer", case.station_id,
                              ["consulting"])
    with pytest.raises(Unavailable) as caught:
        await handlers.handle(cmd, deps)
    assert caught.value.field == "achievement_id"
    after = (await host.db["cases"].count_documents({}), await host.db["outbox"].count_documents({}))
    assert after == before
    await deps.registry.close()
    await host.client.close()
