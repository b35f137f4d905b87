"""The benchmarks' shared report: every test adds its figures; written at the end of the session."""

import pytest

from tests.bench.report import Report


@pytest.fixture(scope="session")
def report():
    r = Report()
    yield r
    r.write()
