"""The event envelope: CloudEvents 1.0 in Kafka binary mode (ce_* headers, protobuf body,
record key = entity id), built with the cloudevents SDK's Kafka binding."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from cloudevents.core.bindings import kafka as ce_kafka
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent

CONTENT_TYPE = "application/protobuf"
AUDIENCE, NOBODY = "bthaudience", "none"   # the partner regions an event may reach (extension attribute)


class _ProtobufFormat(JSONFormat):
    """Data stays the protobuf bytes in both directions."""

    def write_data(self, data, datacontenttype):
        return data if isinstance(data, bytes) else super().write_data(data, datacontenttype)

    def read_data(self, body, datacontenttype):
        return bytes(body) if datacontenttype == CONTENT_TYPE else super().read_data(body, datacontenttype)


FORMAT = _ProtobufFormat()


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    source: str
    subject: str          # entity id, also the record key
    time: datetime
    data: bytes
    trace_id: str = ""
    audience: tuple[str, ...] | None = None   # partner regions the owning service lets see it; None: undecided
    traceparent: str = ""  # W3C context the event was written in (CloudEvents Distributed Tracing extension)

    def to_record(self) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
        """(key, value, headers) for a Kafka producer."""
        attrs = {"id": self.id, "type": self.type, "source": self.source, "subject": self.subject,
                 "time": self.time, "datacontenttype": CONTENT_TYPE}
        if self.trace_id:
            attrs["traceid"] = self.trace_id
        if self.traceparent:
            attrs["traceparent"] = self.traceparent
        if self.audience is not None:   # CloudEvents extension: "none", or the regions space-separated
            attrs[AUDIENCE] = " ".join(self.audience) or NOBODY
        msg = ce_kafka.to_binary(CloudEvent(attributes=attrs, data=self.data), FORMAT,
                                 key_mapper=lambda e: e.get_subject())
        return self.subject.encode(), msg.value, [(k, v) for k, v in msg.headers.items()]

    @classmethod
    def from_record(cls, key: bytes | None, value: bytes, headers) -> "Envelope":
        """Raises ValueError when the record is not a CloudEvent of ours."""
        try:
            event = ce_kafka.from_binary(ce_kafka.KafkaMessage(dict(headers or ()), key, value or b""), FORMAT)
        except Exception as exc:  # the SDK raises several kinds for bad attributes
            raise ValueError(f"not a binary-mode CloudEvent: {exc}") from exc
        attrs = event.get_attributes()
        if attrs.get("datacontenttype") != CONTENT_TYPE:
            raise ValueError(f"unexpected content-type {attrs.get('datacontenttype')!r}")
        return cls(id=attrs["id"], type=attrs["type"], source=attrs["source"],
                   subject=attrs.get("subject") or (key or b"").decode(), time=attrs["time"],
                   data=event.get_data() or b"", trace_id=attrs.get("traceid", ""),
                   audience=_audience(attrs.get(AUDIENCE)), traceparent=attrs.get("traceparent", ""))


def _audience(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    return () if value == NOBODY else tuple(value.split())


def new_event_id() -> str:
    return str(uuid.uuid4())
