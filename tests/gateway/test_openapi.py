"""The OpenAPI document (no I/O): every JSON request body carries an example, every example is
accepted by the pydantic model FastAPI validates that body with, and every path is versioned."""

import importlib
import inspect
import pkgutil
import types
import typing
from functools import cache

from fastapi.routing import APIRoute
from pydantic import BaseModel

import services.gateway.routes as routes_pkg
from services.gateway import openapi_doc
from services.gateway.app import create_app
from services.gateway.settings import GatewaySettings

UNVERSIONED = {"/healthz", "/readyz", "/.well-known/jwks.json", "/.well-known/oauth-authorization-server",
               "/.well-known/openid-configuration"}
DOCS = ("/docs", "/redoc", "/openapi.json")
CONSOLE = "/console"   # the web console's pages (a mounted app, outside the API and its document)


@cache
def app():
    return create_app(GatewaySettings())


@cache
def document() -> dict:
    return app().openapi()


def flat_routes() -> list:
    """The app's routes with included routers flattened (the document's own helper)."""
    return openapi_doc.flat_routes(app().routes)


def body_model(route: APIRoute) -> type[BaseModel] | None:
    """The pydantic model of the route's body (`NoteIn | None` → NoteIn)."""
    if route.body_field is None:
        return None
    annotation = route.body_field.field_info.annotation
    candidates = typing.get_args(annotation) if isinstance(annotation, types.UnionType) or \
        typing.get_origin(annotation) is typing.Union else (annotation,)
    models = [c for c in candidates if inspect.isclass(c) and issubclass(c, BaseModel)]
    assert len(models) == 1, f"{route.path}: body annotation {annotation!r}"
    return models[0]


def resolve(schema: dict) -> dict:
    """Follow `$ref` (directly or inside anyOf/oneOf, as for optional bodies) into components."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return document()["components"]["schemas"][name]
    refs = [s for s in schema.get("anyOf", []) + schema.get("oneOf", []) if "$ref" in s]
    assert len(refs) == 1, f"cannot resolve {schema}"
    return resolve(refs[0])


def json_bodies() -> list[tuple[str, str, dict, type[BaseModel]]]:
    """(METHOD, path, resolved schema, model) of every operation with a JSON request body."""
    models = {}
    for route in flat_routes():
        if isinstance(route, APIRoute) and (model := body_model(route)) is not None:
            for method in route.methods - {"HEAD", "OPTIONS"}:
                models[(method.lower(), route.path)] = model
    found = []
    for path, item in document()["paths"].items():
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method.upper(), path, resolve(content["application/json"]["schema"]),
                              models[(method, path)]))
    return found


def route_models() -> list[type[BaseModel]]:
    """Every concrete pydantic model defined in services/gateway/routes/*.py (bases excluded)."""
    defined = {}
    for info in pkgutil.iter_modules(routes_pkg.__path__):
        module = importlib.import_module(f"{routes_pkg.__name__}.{info.name}")
        for obj in vars(module).values():
            if inspect.isclass(obj) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__:
                defined[obj] = None
    bases = {base for cls in defined for base in cls.__mro__[1:]}
    return [cls for cls in defined if cls not in bases]


def test_every_json_request_body_has_an_example():
    bodies = json_bodies()
    assert len(bodies) >= 50
    missing = [f"{m} {p}" for m, p, schema, _ in bodies if not schema.get("examples")]
    assert missing == []


def test_every_openapi_example_validates_against_its_model():
    checked = 0
    for method, path, schema, model in json_bodies():
        for example in schema["examples"]:
            model.model_validate(example)   # raises ValidationError naming the field
            checked += 1
        assert model.model_json_schema().get("examples") == schema["examples"], f"{method} {path}"
    assert checked >= 50


def test_every_route_model_has_a_valid_example():
    models = route_models()
    assert len(models) >= 40
    without = [m.__qualname__ for m in models if not m.model_json_schema().get("examples")]
    assert without == []
    for model in models:
        assert model.model_config.get("extra") == "forbid", model.__qualname__
        for example in model.model_json_schema()["examples"]:
            model.model_validate(example)


def test_examples_refuse_unknown_fields():
    """The examples document strict bodies: adding an unknown field to any of them is refused."""
    for model in route_models():
        example = model.model_json_schema()["examples"][0]
        try:
            model.model_validate({**example, "unknown_field": 1})
        except ValueError as err:
            assert "unknown_field" in str(err)
        else:
            raise AssertionError(f"{model.__qualname__} accepted an unknown field")


def test_every_path_is_versioned_or_well_known():
    paths = set(document()["paths"])
    assert len(paths) >= 30
    assert [p for p in paths if not p.startswith("/api/v1/") and p not in UNVERSIONED] == []
    served = {r.path for r in flat_routes() if hasattr(r, "path")}
    odd = [p for p in served
           if not p.startswith("/api/v1/") and p not in UNVERSIONED and not p.startswith(DOCS) and p != CONSOLE]
    assert odd == []


def test_idempotency_key_and_response_headers_are_documented():
    posts = [(path, op) for path, item in document()["paths"].items() for method, op in item.items()
             if method == "post"]
    keyed = [path for path, op in posts if any(p["name"] == "Idempotency-Key" for p in op.get("parameters", []))]
    assert len(posts) >= 40 and sorted(keyed) == sorted(
        p for p, _ in posts if p not in ("/api/v1/oauth/token", "/api/v1/oauth/revoke"))
    for item in document()["paths"].values():
        for op in item.values():
            for response in op["responses"].values():
                assert {"X-Request-Id", "RateLimit", "RateLimit-Policy"} <= set(response["headers"])


INT32 = (-2**31, 2**31 - 1)


def _integers(schema: dict, doc: dict, where: str, seen: frozenset = frozenset()):
    """(place, schema) of every integer in a request schema, through $refs, properties, items, anyOf."""
    ref = schema.get("$ref")
    if ref:
        if ref in seen:
            return
        schema, seen = doc["components"]["schemas"][ref.rsplit("/", 1)[1]], seen | {ref}
    if schema.get("type") == "integer":
        yield where, schema
    for name, sub in schema.get("properties", {}).items():
        yield from _integers(sub, doc, f"{where}.{name}", seen)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from _integers(schema[key], doc, f"{where}[]", seen)
    for sub in schema.get("anyOf", []) + schema.get("allOf", []) + schema.get("oneOf", []):
        yield from _integers(sub, doc, where, seen)


def test_every_integer_a_client_sends_is_bounded_within_the_contracts_int32():
    """A number past protobuf's int32 made a 500 (fuzzing found `people_involved` unbounded below):
    every integer in a request body or query is bounded on both sides, inside int32."""
    doc, loose = document(), []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            places = [(f"{method.upper()} {path} {p['name']}", p.get("schema", {})) for p in op.get("parameters", [])]
            for media in op.get("requestBody", {}).get("content", {}).values():
                places += [(f"{method.upper()} {path} body", media.get("schema", {}))]
            for where, schema in places:
                for place, integer in _integers(schema, doc, where):
                    low, high = integer.get("minimum"), integer.get("maximum")
                    if low is None or high is None or low < INT32[0] or high > INT32[1]:
                        loose.append(f"{place}: [{low}, {high}]")
    assert loose == []
