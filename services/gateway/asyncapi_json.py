"""JSON Schemas of the event messages in their JSON mapping (proto field names), as the feed
and the webhooks serve them: the `x-json-schema` of each AsyncAPI message."""

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


def schema(descriptor, schemas: dict) -> None:
    name = descriptor.full_name
    if name in schemas or name in WELL_KNOWN:
        return
    schemas[name] = {}
    props = {}
    for f in descriptor.fields:
        if f.type == FieldDescriptor.TYPE_MESSAGE:
            if f.message_type.GetOptions().map_entry:
                value = f.message_type.fields_by_name["value"]
                inner = SCALARS.get(value.type, {"type": "object"})
                prop = {"type": "object", "additionalProperties": inner}
            else:
                full = f.message_type.full_name
                prop = WELL_KNOWN.get(full) or ref(full)
                schema(f.message_type, schemas)
        elif f.type == FieldDescriptor.TYPE_ENUM:
            prop = {"type": "string", "enum": [v.name for v in f.enum_type.values]}
        else:
            prop = dict(SCALARS[f.type])
        is_repeated = getattr(f, "is_repeated", None)
        repeated = is_repeated if is_repeated is not None else f.label == FieldDescriptor.LABEL_REPEATED
        if repeated and not (f.type == FieldDescriptor.TYPE_MESSAGE and f.message_type.GetOptions().map_entry):
            prop = {"type": "array", "items": prop}
        props[f.name] = prop
    schemas[name] = {"type": "object", "description": f"protobuf message {name} (JSON mapping, proto field names)",
                     "properties": props}


