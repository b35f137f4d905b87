"""The statistics / trading-map stream (the registry worker's faust agent) has the shared
consumer's guarantees: a deal event whose handling fails is retried a bounded number of times
and then written to the registry's dead-letter topic (read back here from the real broker),
while the stream goes on counting the next deal of the same partition exactly once."""

import uuid
from datetime import UTC, datetime

from bth.common.v1.common_pb2 import Deal
from bth.incubation.v1 import case_pb2
from bth.registry.v1 import achievement_pb2
from services.common import kafka
from services.common.envelope import Envelope
from tests.common.test_outbox_and_consumer import read_records
from tests.conftest import eventually
from tests.registry.test_contracts_statistics import OPERATOR, _publish

MONTH = {"month_from": "2031-07", "month_to": "2031-07", "field": "new-materials"}


def poison(key: str) -> Envelope:
    """A TransformationRecorded without the deal it must carry."""
    body = achievement_pb2.TransformationRecorded(achievement_id=key, note="t-not-there", actor="t")
    body.achievement.achievement_id, body.achievement.field = key, "new-materials"
    return Envelope(f"ev-{uuid.uuid4()}", "bth.registry.v1.TransformationRecorded", "/test", key,
                    datetime.now(UTC), body.SerializeToString())


def landing(key: str, amount: str) -> Envelope:
    body = case_pb2.CaseLanded(case_id=key, deal=Deal(kind="licence", amount=amount, field="new-materials",
                                                      from_region="TIANJIN", to_region="HEBEI", date="2031-07-09"))
    return Envelope(f"ev-{uuid.uuid4()}", "bth.incubation.v1.CaseLanded", "/test", key,
                    datetime(2031, 7, 9, tzinfo=UTC), body.SerializeToString())


async def test_a_failing_statistics_event_is_retried_then_dead_lettered(api, platform, kafka_settings):
    settings = platform.settings("registry")
    key = f"stats-poison-{uuid.uuid4().hex[:8]}"
    before = (await api.get("/api/v1/trading-map", params=MONTH, headers=OPERATOR)).json()["count"]
    bad, good = poison(key), landing(key, "1234.50")
    await _publish(kafka_settings, [("bth.registry.achievement.v1", bad), ("bth.incubation.case.v1", good),
                                    ("bth.incubation.case.v1", good)])   # the landing delivered twice

    dead = await read_records(kafka_settings, kafka.dlq_topic("registry"), key, 1)
    assert len(dead) == 1 and dead[0].value == bad.to_record()[1]
    headers = {k: v.decode() for k, v in dead[0].headers}
    assert headers["ce_id"] == bad.id and headers["dlq_group"] == "registry.deal-statistics"
    assert headers["dlq_topic"] == "bth.registry.achievement.v1"
    assert headers["dlq_attempts"] == str(settings.consumer_max_retries + 1)     # 1 + 3 retries
    assert headers["dlq_reason"].startswith("InvalidInput: bth.registry.v1.TransformationRecorded")

    async def counted_once():
        body = (await api.get("/api/v1/trading-map", params=MONTH, headers=OPERATOR)).json()
        return body["count"] == before + 1
    await eventually(counted_once, timeout=30)
    body = (await api.get("/api/v1/trading-map", params=MONTH, headers=OPERATOR)).json()
    assert [(r["from_region"], r["to_region"], r["count"]) for r in body["routes"]] == [
        ("TIANJIN", "HEBEI", before + 1)]
