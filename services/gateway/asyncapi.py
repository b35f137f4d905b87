"""The AsyncAPI 3.0 document of every Kafka topic, its key and its messages, generated
from proto/ (services.common.contracts.catalogue: type, topic, key field, descriptor), and
the services' dead-letter topics. Each message: the CloudEvents headers (those every event
carries marked required), the payload as its protobuf schema (proto3 source,
asyncapi_proto.py) since the wire format is protobuf, the JSON mapping the feed and webhooks
serve as `x-json-schema`. The production server is SASL_SSL with SCRAM-SHA-512.
`python -m services.gateway.asyncapi [path]` writes it (docs/asyncapi.json by `make asyncapi`);
the gateway serves it at GET /api/v1/asyncapi.json."""

import json
import sys
from collections import defaultdict

from services.common import contracts, kafka
from services.gateway import asyncapi_proto, proto_json_schema

PROTOBUF = "application/vnd.google.protobuf;version=3"
REQUIRED_HEADERS = ["ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "ce_subject", "content-type"]
DLQ_HEADERS = {"dlq_attempts": "handler attempts before it was set aside", "dlq_reason": "why (the last error)",
               "dlq_group": "the consumer group that gave up", "dlq_topic": "the topic the record came from",
               "dlq_partition": "its partition", "dlq_offset": "its offset"}


def document() -> dict:
    catalogue = contracts.catalogue()
    by_topic: dict[str, list] = defaultdict(list)
    for contract in catalogue.values():
        by_topic[contract.topic].append(contract)
    channels, operations, messages, schemas = {}, {}, {}, {}
    for topic in sorted(by_topic):
        channel_id = topic.replace(".", "_")
        refs = {}
        for c in sorted(by_topic[topic], key=lambda c: c.type):
            proto_json_schema.schema(c.message.DESCRIPTOR, schemas)
            msg_id = c.type.replace(".", "_")
            messages[msg_id] = {
                "name": c.type, "title": c.message.DESCRIPTOR.name,
                "summary": f"{c.type} on {topic}; record key = `{c.key_field}`",
                "contentType": "application/protobuf",
                "headers": {"type": "object", "required": REQUIRED_HEADERS, "properties": {
                    "ce_specversion": {"type": "string", "const": "1.0"}, "ce_id": {"type": "string"},
                    "ce_type": {"type": "string", "const": c.type}, "ce_source": {"type": "string"},
                    "ce_subject": {"type": "string", "description": f"the entity id (= {c.key_field})"},
                    "ce_time": {"type": "string", "format": "date-time"},
                    "ce_traceid": {"type": "string", "description": "the request id (log correlation)"},
                    "ce_traceparent": {"type": "string", "description": "W3C trace context the event was written "
                                       "in (CloudEvents Distributed Tracing extension)"},
                    "ce_bthaudience": {"type": "string", "description": "partner regions that may receive the "
                                       "event, space-separated, or `none`; decided by the owning service"},
                    "content-type": {"type": "string", "const": "application/protobuf"}}},
                "payload": {"schemaFormat": PROTOBUF, "schema": asyncapi_proto.source(c.message.DESCRIPTOR)},
                "x-json-schema": proto_json_schema.ref(c.type),
                "bindings": {"kafka": {"key": {"type": "string", "description": f"value of `{c.key_field}`"},
                                       "bindingVersion": "0.5.0"}},
                "x-protobuf-message": c.type, "x-key-field": c.key_field,
            }
            refs[msg_id] = {"$ref": f"#/components/messages/{msg_id}"}
        channels[channel_id] = {"address": topic, "messages": refs,
                                "description": "Per-entity order holds: the record key is the entity id.",
                                "bindings": {"kafka": {"topic": topic, "bindingVersion": "0.5.0"}}}
        operations[f"receive_{channel_id}"] = {
            "action": "receive", "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{m}"} for m in refs]}
    _dead_letters(sorted({topic.split(".")[1] for topic in by_topic}), channels, operations, messages)
    return {
        "asyncapi": "3.0.0",
        "info": {"title": "BTH platform events", "version": "1.0.0",
                 "description": "Every state change of the Beijing–Tianjin–Hebei platform, as CloudEvents 1.0 "
                                "in Kafka binary mode (ce_* headers, protobuf body). Generated from proto/."},
        "defaultContentType": "application/protobuf",
        "servers": {"kafka": {"host": "kafka.bth.example.org:9093", "protocol": "kafka-secure",
                              "description": "production: SASL_SSL (TLS, SCRAM-SHA-512); credentials per partner",
                              "security": [{"$ref": "#/components/securitySchemes/scram"}]},
                    "development": {"host": "127.0.0.1:9092", "protocol": "kafka",
                                    "description": "`make run`: the embedded broker, PLAINTEXT"}},
        "channels": channels, "operations": operations,
        "components": {"messages": messages, "schemas": schemas, "securitySchemes": {"scram": {
            "type": "scramSha512", "description": "SASL/SCRAM-SHA-512 over TLS (KAFKA_SECURITY_PROTOCOL=SASL_SSL)"}}},
    }


def _dead_letters(services: list[str], channels: dict, operations: dict, messages: dict) -> None:
    """A dead-letter topic per service: records its consumers gave up on, as they came (any
    bytes, the original headers kept) plus the dlq_* headers saying why and from where."""
    messages["DeadLetter"] = {
        "name": "DeadLetter", "title": "A record a consumer set aside",
        "contentType": "application/octet-stream",
        "headers": {"type": "object", "required": list(DLQ_HEADERS), "properties": {
            name: {"type": "string", "description": text} for name, text in DLQ_HEADERS.items()}},
        "payload": {"type": "string", "format": "binary", "description": "the original record value"}}
    for service in services:
        topic = kafka.dlq_topic(service)
        channel_id = topic.replace(".", "_")
        channels[channel_id] = {"address": topic, "description": f"Dead letters of the {service} consumers.",
                                "messages": {"DeadLetter": {"$ref": "#/components/messages/DeadLetter"}},
                                "bindings": {"kafka": {"topic": topic, "bindingVersion": "0.5.0"}}}
        operations[f"receive_{channel_id}"] = {
            "action": "receive", "channel": {"$ref": f"#/channels/{channel_id}"},
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/DeadLetter"}]}


def main() -> None:
    path = sys.argv[1] if len(sys.argv) > 1 else "docs/asyncapi.json"
    with open(path, "w", encoding="utf-8") as out:
        json.dump(document(), out, ensure_ascii=False, indent=2, sort_keys=True)
        out.write("\n")
    print(f"wrote {path}: {len(document()['channels'])} topics")


if __name__ == "__main__":
    main()
