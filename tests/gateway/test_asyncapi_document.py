"""The AsyncAPI document (no I/O) checked with independent tools: it validates against the
official AsyncAPI 3.0.0 JSON Schema (vendored from the @asyncapi/specs package, Apache-2.0:
tests/gateway/data/asyncapi-3.0.0.schema.json); every event message marks the CloudEvents
headers every event carries as required and declares its payload as protobuf, whose proto3
source protoc compiles to the very fields (names, numbers, types, labels) of the generated
descriptor; the dead-letter topics and the SASL_SSL server security are there; and
docs/asyncapi.json is what `make asyncapi` writes today."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
from google.protobuf import descriptor_pb2

from services.common import contracts
from services.gateway import asyncapi

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parents[2]


def test_document_validates_against_the_official_schema():
    schema = json.loads((DATA / "asyncapi-3.0.0.schema.json").read_text())
    doc = json.loads(json.dumps(asyncapi.document()))
    assert [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(doc)] == []
    broken = json.loads(json.dumps(doc))
    broken["components"]["securitySchemes"]["scram"]["type"] = "password-in-the-url"
    assert list(jsonschema.Draft7Validator(schema).iter_errors(broken))   # the schema does check


def test_headers_payload_dead_letters_and_security():
    doc = asyncapi.document()
    messages = doc["components"]["messages"]
    for contract in contracts.catalogue().values():
        message = messages[contract.type.replace(".", "_")]
        assert {"ce_id", "ce_type", "ce_source", "ce_specversion", "ce_time", "ce_subject", "content-type"} <= \
            set(message["headers"]["required"])
        assert message["contentType"] == "application/protobuf"
        assert message["payload"]["schemaFormat"] == "application/vnd.google.protobuf;version=3"
    dead = {ch["address"]: ch for ch in doc["channels"].values() if ".dlq." in ch["address"]}
    assert sorted(dead) == ["bth.incubation.dlq.v1", "bth.procurement.dlq.v1", "bth.registry.dlq.v1"]
    assert set(messages["DeadLetter"]["headers"]["required"]) == {
        "dlq_attempts", "dlq_reason", "dlq_group", "dlq_topic", "dlq_partition", "dlq_offset"}
    server = doc["servers"]["kafka"]
    assert server["protocol"] == "kafka-secure"
    assert server["security"] == [{"$ref": "#/components/securitySchemes/scram"}]
    assert doc["components"]["securitySchemes"]["scram"]["type"] == "scramSha512"


def _fields(message: descriptor_pb2.DescriptorProto) -> list[tuple]:
    return [(f.name, f.number, f.type, f.label, f.type_name.lstrip(".")) for f in message.field]


def _find(files: descriptor_pb2.FileDescriptorSet, full_name: str) -> descriptor_pb2.DescriptorProto:
    *outer, name = full_name.split(".")
    scope = [m for f in files.file for m in f.message_type]
    for part in outer:
        scope = [m for m in scope if m.name == part][0].nested_type
    return next(m for m in scope if m.name == name)


def test_protobuf_payloads_compile_to_the_original_fields(tmp_path):
    doc = asyncapi.document()
    for contract in contracts.catalogue().values():
        proto = tmp_path / "event.proto"
        proto.write_text(doc["components"]["messages"][contract.type.replace(".", "_")]["payload"]["schema"])
        out = tmp_path / "event.pb"
        done = subprocess.run([sys.executable, "-m", "grpc_tools.protoc", f"-I{tmp_path}", f"-o{out}",
                               str(proto)], capture_output=True, text=True)
        assert done.returncode == 0, (contract.type, done.stderr)
        compiled = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes())
        original = descriptor_pb2.DescriptorProto()
        contract.message.DESCRIPTOR.CopyToProto(original)
        assert _fields(_find(compiled, contract.type)) == _fields(original), contract.type


def test_the_committed_document_is_current():
    written = json.loads((ROOT / "docs/asyncapi.json").read_text())
    assert written == json.loads(json.dumps(asyncapi.document())), "run `make asyncapi`"
