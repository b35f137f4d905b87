"""The benchmarks' shared report: every test adds its figures; written at the end of the session."""

import os

import pytest

from tests.bench.report import Report

# the benchmarks measure the paths, not the per-principal rate limiter (300 a minute by default)
os.environ.setdefault("RATE_LIMIT_REQUESTS", "100000000")


@pytest.fixture(scope="session")
def report():
    r = Report()
    yield r
    r.write()
