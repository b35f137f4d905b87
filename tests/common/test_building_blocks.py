"""Pure building blocks: envelope round trip, event conversion, settings that fail fast."""

import subprocess
import sys
import time
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from bth.registry.v1 import achievement_pb2
from services.common import contracts, internal_auth
from services.common.clock import ManualClock
from services.common.envelope import Envelope
from services.common.identity import Principal
from services.registry.domain import events


def test_envelope_round_trip_in_binary_mode():
    env = Envelope(id="e-1", type="bth.registry.v1.AchievementSubmitted", source="/bth/registry",
                   subject="a-1", time=datetime(2026, 3, 1, 8, tzinfo=UTC), data=b"\x08\x01", trace_id="r-9")
    key, value, headers = env.to_record()
    h = dict(headers)
    assert key == b"a-1" and value == b"\x08\x01"
    assert h["ce_id"] == b"e-1" and h["ce_specversion"] == b"1.0" and h["ce_time"] == b"2026-03-01T08:00:00Z"
    assert h["content-type"] == b"application/protobuf" and h["ce_traceid"] == b"r-9"
    assert Envelope.from_record(key, value, headers) == env


@pytest.mark.parametrize("headers", [[], [("ce_id", b"1")], [("content-type", b"application/json")]])
def test_envelope_rejects_records_that_are_not_ours(headers):
    with pytest.raises(ValueError):
        Envelope.from_record(b"k", b"{}", headers)


def test_domain_event_converts_to_its_proto_message_by_name():
    event = events.AchievementSubmitted("a-1", {"achievement_id": "a-1", "version": 3, "trl": 7,
                                                "indicative_price": Decimal("10.50")}, "u-1")
    contract = contracts.contract_for(event, "bth.registry.v1")
    assert (contract.topic, contract.key_field) == ("bth.registry.achievement.v1", "achievement_id")
    message = contracts.to_message(contracts.to_plain(event), contract.message)
    assert isinstance(message, achievement_pb2.AchievementSubmitted)
    assert message.achievement.version == 3 and message.achievement.indicative_price == "10.50"


def test_every_event_message_names_a_versioned_topic_and_an_existing_key_field():
    catalogue = contracts.catalogue()
    assert "bth.registry.v1.AchievementDrafted" in catalogue
    for name, contract in catalogue.items():
        assert contract.topic.startswith("bth.") and contract.topic.endswith(".v1"), name
        assert contract.key_field in contract.message.DESCRIPTOR.fields_by_name, name


def test_principal_travels_in_a_signed_token_that_cannot_be_forged():
    key = "k" * 40
    who = Principal("u-1", "org-1", "TIANJIN", frozenset({"partner", "operator"}))
    token = dict(internal_auth.metadata(who, key))[internal_auth.HEADER]
    assert internal_auth.verify(token, key) == who
    for forged, why in ((None, "no internal identity token"), (internal_auth.sign(who, "x" * 40), "InvalidSignature"),
                        (internal_auth.sign(who, key, now=time.time() - 3600), "ExpiredSignature"),
                        (token[:-2] + "xx", "internal identity token refused")):
        with pytest.raises(internal_auth.Unauthenticated, match=why):
            internal_auth.verify(forged, key)
    with pytest.raises(SystemExit, match="INTERNAL_AUTH_KEY"):
        internal_auth.require_key("short")
    with pytest.raises(internal_auth.Unauthenticated, match="no internal identity key"):
        internal_auth.verify(token, "")   # a keyless server believes nobody


def test_manual_clock_moves_only_when_told():
    clock = ManualClock(datetime(2026, 1, 1, tzinfo=UTC))
    assert clock.now() == clock.now()
    assert clock.advance(days=31) == datetime(2026, 2, 1, tzinfo=UTC)


@pytest.mark.parametrize("env, expected", [
    ({"GRPC_PORT": "not-a-port"}, "GRPC_PORT"),
    ({"KAFKA_SECURITY_PROTOCOL": "SASL_BOGUS"}, "KAFKA_SECURITY_PROTOCOL"),
])
def test_bad_configuration_stops_with_one_clear_line(env, expected):
    result = subprocess.run([sys.executable, "-m", "services.registry"], env={"PATH": "/usr/bin", **env},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith(f"configuration error: {expected}:")


def test_missing_mongo_is_one_clear_line():
    from services import devinfra

    port = devinfra.free_port()
    result = subprocess.run([sys.executable, "-m", "services.registry"], capture_output=True, text=True,
                            env={"PATH": "/usr/bin", "MONGO_URI": f"mongodb://127.0.0.1:{port}/?directConnection=true"},
                            timeout=60)
    assert result.returncode == 1
    assert f"MongoDB is not reachable at mongodb://127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_kafka_is_one_clear_line(infra):
    from services import devinfra

    port = devinfra.free_port()
    result = subprocess.run([sys.executable, "-m", "services.registry"], capture_output=True, text=True,
                            env={"PATH": "/usr/bin", "MONGO_URI": infra["mongo"],
                                 "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{port}"}, timeout=60)
    assert result.returncode == 1
    assert f"Kafka is not reachable at 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr
