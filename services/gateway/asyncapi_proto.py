"""The protobuf schema of one event message as proto3 source, for the AsyncAPI payload
(`schemaFormat: application/vnd.google.protobuf;version=3`), rendered from the generated
descriptors (the runtime image has no proto/ files). One self-contained text: the message
and every message and enum it references, each at its own fully-qualified name (packages
become enclosing messages: `bth.common.v1.Deal` is message Deal inside v1 inside common
inside bth), so field names, numbers and types, and so the wire format, are the originals."""

from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

SCALAR = {getattr(FieldDescriptor, f"TYPE_{n.upper()}"): n for n in (
    "double", "float", "int64", "uint64", "int32", "fixed64", "fixed32", "bool", "string", "bytes", "uint32",
    "sfixed32", "sfixed64", "sint32", "sint64")}


def _type(f: FieldDescriptor) -> str:
    if f.type == FieldDescriptor.TYPE_MESSAGE:
        return "." + f.message_type.full_name
    if f.type == FieldDescriptor.TYPE_ENUM:
        return "." + f.enum_type.full_name
    return SCALAR[f.type]


def _is_map(f: FieldDescriptor) -> bool:
    return f.type == FieldDescriptor.TYPE_MESSAGE and f.message_type.GetOptions().map_entry


def _collect(d, found: dict) -> None:
    if d.full_name in found:
        return
    found[d.full_name] = d
    if isinstance(d, EnumDescriptor):
        return
    for f in d.fields:
        inner = f.message_type.fields_by_name["value"] if _is_map(f) else f
        target = inner.message_type or inner.enum_type
        if target is not None:
            _collect(target, found)


def _field(f: FieldDescriptor) -> str:
    if _is_map(f):
        key, value = f.message_type.fields_by_name["key"], f.message_type.fields_by_name["value"]
        return f"map<{_type(key)}, {_type(value)}> {f.name} = {f.number};"
    oneof = f.containing_oneof
    if oneof is not None and oneof.name != f"_{f.name}":
        raise NotImplementedError(f"{f.full_name}: oneof is not rendered yet")
    label = "repeated " if f.is_repeated else "optional " if oneof is not None else ""
    return f"{label}{_type(f)} {f.name} = {f.number};"


def _render(name: str, node: dict, indent: str) -> list[str]:
    d = node.get("")
    if isinstance(d, EnumDescriptor):
        return [f"{indent}enum {name} {{", *(f"{indent}  {v.name} = {v.number};" for v in d.values), f"{indent}}}"]
    lines = [f"{indent}message {name} {{"]
    if isinstance(d, Descriptor):
        lines += [f"{indent}  {_field(f)}" for f in d.fields]
    for child in sorted(k for k in node if k):
        lines += _render(child, node[child], indent + "  ")
    return lines + [f"{indent}}}"]


def source(message: Descriptor) -> str:
    found: dict = {}
    _collect(message, found)
    tree: dict = {}
    for full_name, d in found.items():
        node = tree
        for part in full_name.split("."):
            node = node.setdefault(part, {})
        node[""] = d
    lines = ['syntax = "proto3";', f"// {message.full_name} and the types it uses, at their full names"]
    for top in sorted(tree):
        lines += _render(top, tree[top], "")
    return "\n".join(lines) + "\n"
