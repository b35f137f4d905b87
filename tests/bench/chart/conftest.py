"""The platform as the Helm chart runs it, for the benchmarks of this package only (torn down
before the others run, so its idle processes do not weigh on their figures)."""

import pytest

from tests.deployed.harness import Deployed


@pytest.fixture(scope="package")
def deployed():
    """Every process from the rendered chart's command and environment and the image's
    dependencies (tests/deployed/harness.py), at the chart's defaults but for what one machine
    needs (`harness.values`: the embedded broker, without idempotence, topics of 4 partitions;
    one memory-engine Mongo-wire server per service with serialised writes; loopback webhook
    targets allowed) and a per-principal rate limit high enough for the load."""
    platform = Deployed(fast=False, gateway_env={"RATE_LIMIT_REQUESTS": "100000000"})
    try:
        platform.start()
        yield platform
    finally:
        platform.stop()
