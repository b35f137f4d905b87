"""JSON Schemas of protobuf messages in their JSON mapping (proto field names), as the REST
API, the feed and the webhooks serve them (services.common.contracts.to_dict): the `x-json-schema`
of each AsyncAPI message and the response schemas of the OpenAPI document. Written from the
descriptors, so a message is described once, in proto. Proto3 leaves out default values, so no
field is required; 64-bit integers are strings, timestamps RFC 3339, enums their names."""

from collections.abc import Callable

from google.protobuf.descriptor import FieldDescriptor

SCALARS = {
    FieldDescriptor.TYPE_DOUBLE: {"type": "number"}, FieldDescriptor.TYPE_FLOAT: {"type": "number"},
    FieldDescriptor.TYPE_INT64: {"type": "string", "format": "int64"},
    FieldDescriptor.TYPE_UINT64: {"type": "string", "format": "uint64"},
    FieldDescriptor.TYPE_INT32: {"type": "integer", "format": "int32"},
    FieldDescriptor.TYPE_FIXED64: {"type": "string"}, FieldDescriptor.TYPE_FIXED32: {"type": "integer"},
    FieldDescriptor.TYPE_BOOL: {"type": "boolean"}, FieldDescriptor.TYPE_STRING: {"type": "string"},
    FieldDescriptor.TYPE_BYTES: {"type": "string", "contentEncoding": "base64"},
    FieldDescriptor.TYPE_UINT32: {"type": "integer"}, FieldDescriptor.TYPE_SFIXED32: {"type": "integer"},
    FieldDescriptor.TYPE_SFIXED64: {"type": "string"}, FieldDescriptor.TYPE_SINT32: {"type": "integer"},
    FieldDescriptor.TYPE_SINT64: {"type": "string"},
}
WELL_KNOWN = {"google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
              "google.protobuf.Duration": {"type": "string"}, "google.protobuf.Struct": {"type": "object"}}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def full_name(descriptor) -> str:
    return descriptor.full_name


def schema(descriptor, schemas: dict, name_of: Callable = full_name) -> str:
    """Add the message's schema, and those of the messages it holds, to `schemas` under
    `name_of(descriptor)`; the name it was added under."""
    name = name_of(descriptor)
    if name in schemas or descriptor.full_name in WELL_KNOWN:
        return name
    schemas[name] = {}
    props = {}
    for f in descriptor.fields:
        if f.type == FieldDescriptor.TYPE_MESSAGE:
            if f.message_type.GetOptions().map_entry:
                value = f.message_type.fields_by_name["value"]
                inner = SCALARS.get(value.type, {"type": "object"})
                prop = {"type": "object", "additionalProperties": inner}
            else:
                prop = WELL_KNOWN.get(f.message_type.full_name) or ref(schema(f.message_type, schemas, name_of))
        elif f.type == FieldDescriptor.TYPE_ENUM:
            prop = {"type": "string", "enum": [v.name for v in f.enum_type.values]}
        else:
            prop = dict(SCALARS[f.type])
        is_repeated = getattr(f, "is_repeated", None)
        repeated = is_repeated if is_repeated is not None else f.label == FieldDescriptor.LABEL_REPEATED
        if repeated and not (f.type == FieldDescriptor.TYPE_MESSAGE and f.message_type.GetOptions().map_entry):
            prop = {"type": "array", "items": prop}
        props[f.name] = prop
    schemas[name] = {"type": "object", "properties": props,
                     "description": f"protobuf message {descriptor.full_name} (JSON mapping, proto field names)"}
    return name


