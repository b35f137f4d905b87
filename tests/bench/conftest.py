"""The benchmarks' shared report: every test adds its figures; written at the end of the session."""

import os

import pytest

from services import devinfra
from tests.bench.report import Report


@pytest.fixture(scope="session", autouse=True)
def unlimited_rate():
    """The benchmarks measure the paths, not the per-principal rate limiter (300 a minute by
    default). Autouse here: only for the benchmarks, never for `make test`'s gateway (collecting
    this directory must not change the environment of the other tests)."""
    patch = pytest.MonkeyPatch()
    patch.setenv("RATE_LIMIT_REQUESTS", os.environ.get("RATE_LIMIT_REQUESTS", "100000000"))
    yield
    patch.undo()


@pytest.fixture(scope="session")
def report():
    r = Report()
    yield r
    r.write()


@pytest.fixture(scope="session")
def sqlite_mongo(tmp_path_factory):
    """A fresh Mongo-wire server on the SQLite engine, as `make run` uses (the tests' servers use memory)."""
    port = devinfra.free_port()
    proc = devinfra.start_mongo(port, str(tmp_path_factory.mktemp("store") / "bench.sqlite"))
    yield f"mongodb://127.0.0.1:{port}/?directConnection=true"
    devinfra.stop(proc)
