"""Layer rules read from the source: a service listed here queries Mongo only in adapters/
(no `.db[` and no pymongo in service_layer/) and its domain/ imports no I/O or protobuf
library. Procurement and registry join the lists when their handlers move onto the bus."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ON_THE_BUS = ["incubation", "procurement", "registry"]
DOMAIN_FORBIDDEN = ("pymongo", "grpc", "google.protobuf", "bth", "aiokafka", "faust", "httpx",
                    "services.common.contracts", "services.common.mongo")


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("service", ON_THE_BUS)
def test_the_service_layer_reaches_mongo_only_through_adapters(service):
    offending = [f"{p.relative_to(ROOT)}" for p in (ROOT / "services" / service / "service_layer").glob("*.py")
                 if ".db[" in p.read_text() or any(m.startswith("pymongo") for m in imports(p))]
    assert offending == []


@pytest.mark.parametrize("service", ON_THE_BUS)
def test_the_domain_imports_no_io_or_protobuf(service):
    offending = {f"{p.relative_to(ROOT)}: {m}" for p in (ROOT / "services" / service / "domain").glob("*.py")
                 for m in imports(p) if m.startswith(DOMAIN_FORBIDDEN)}
    assert offending == set()
