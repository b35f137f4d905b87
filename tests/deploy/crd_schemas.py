"""JSON schemas of the prometheus-operator custom resources the chart renders
(monitoring.coreos.com/v1 ServiceMonitor, PodMonitor, PrometheusRule).

They come from the pinned `cloudcoil-models-prometheus-operator` package (see
requirements.lock): pydantic models generated from the operator's CRDs (openAPIV3Schema),
shipped for that operator release. Made strict here, as `kubectl apply --validate=strict`
(server-side field validation) is: an object with declared properties admits no other
field, so a misspelt or misplaced field fails instead of being pruned silently."""

import functools

import jsonschema
from cloudcoil.models.prometheus_operator import v1
from pydantic import TypeAdapter

API_VERSION = "monitoring.coreos.com/v1"
MODELS = {"ServiceMonitor": v1.ServiceMonitor, "PodMonitor": v1.PodMonitor, "PrometheusRule": v1.PrometheusRule}


def _strict(node):
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        if isinstance(node.get("pattern"), str) and node["pattern"].startswith("^(?i)"):
            node["pattern"] = "(?i)^" + node["pattern"][5:]  # RE2 allows the flag after ^, Python's re not
        for value in node.values():
            _strict(value)
    elif isinstance(node, list):
        for value in node:
            _strict(value)
    return node


@functools.cache
def validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = _strict(TypeAdapter(MODELS[kind]).json_schema(by_alias=True, mode="validation"))
    schema["required"] = sorted({*schema.get("required", []), "apiVersion", "kind", "metadata", "spec"})
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def errors(obj: dict) -> list[str]:
    """Why `obj` is not a valid custom resource of its kind (empty: it is)."""
    if obj.get("apiVersion") != API_VERSION or obj.get("kind") not in MODELS:
        return [f"not a {API_VERSION} {'/'.join(MODELS)}: {obj.get('apiVersion')} {obj.get('kind')}"]
    return [_describe(e) for e in validator(obj["kind"]).iter_errors(obj)]


def _describe(error: jsonschema.ValidationError) -> str:
    """The innermost reason (an optional field is `anyOf: [its schema, null]`)."""
    while error.context:
        error = max(error.context, key=lambda e: (len(e.absolute_path), e.validator != "type"))
    return f"{'.'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message[:200]}"
