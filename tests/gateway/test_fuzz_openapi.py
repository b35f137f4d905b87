"""Issue 12: property-based fuzzing of every REST operation from the gateway's own OpenAPI
document with schemathesis (its CLI, as an integrator would run it), as an operator and as an
institution: no 5xx anywhere, and every response in a documented content type and matching its
documented schema (problem details are documented as application/problem+json for every
operation, and every success body is typed: tests/gateway/test_openapi_types.py). It runs against a gateway
of its own (own accounts database, no rate limit) in front of the shared services, so what it
changes (rotated clients, disabled accounts, tripped login throttles) stays out of the other
tests. The operator, who may call every operation, gets every phase (the coverage phase's ~6,000
boundary and negative cases check each field's validation once); the institution gets the examples,
fuzzing and stateful phases, which reach its ownership and region rules. Two workers: concurrent
requests must not produce a 5xx either. Figures: docs/security.md."""

import asyncio
import os
import re
import sys
import uuid
from pathlib import Path

import pytest

from tests.support.identity import bearer
from tests.support.platform import second_gateway

ST = Path(sys.executable).parent / "st"
CHECKS = "not_a_server_error,content_type_conformance,response_schema_conformance"
# A long poll waits as long as it is asked to (up to 60 s) when no event comes: a client
# timeout there is the contract, not a fault (tests/gateway/test_events.py and
# test_abuse_bad_input.py cover the feed's parameters).
LONG_POLL = "/api/v1/events"


@pytest.fixture(scope="module")
async def fuzz_gateway(platform):
    own_accounts = {**platform.env("gateway")["mongo"], "db": f"gateway_fuzz_{uuid.uuid4().hex[:6]}"}
    async with second_gateway(platform, mongo=own_accounts, rate_limit_requests=10**9) as url:
        yield url


@pytest.mark.parametrize(("role", "phases"), [("operator", "examples,coverage,fuzzing,stateful"),
                                             ("institution", "examples,fuzzing,stateful")],
                         ids=["operator", "institution"])
async def test_no_operation_answers_a_server_error(fuzz_gateway, role, phases):
    tag = uuid.uuid4().hex[:6]
    token = bearer(f"fuzz-{role}-{tag}", f"org-fuzz-{tag}", "BEIJING", role)["Authorization"]
    proc = await asyncio.create_subprocess_exec(
        str(ST), "run", f"{fuzz_gateway}/openapi.json", "--checks", CHECKS,
        "--max-examples", "5", "--seed", "20261206", "--request-timeout", "20", "--workers", "2",
        "--phases", phases,
        "-H", f"Authorization: {token}", "--exclude-path", LONG_POLL,
        env=os.environ | {"NO_COLOR": "1"}, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 600)
    text = out.decode(errors="replace")
    summary = re.search(r"Selected: (\d+)/(\d+).*?(\d+) generated, (\d+) (?:passed|found)", text, re.S)
    print(f"\nschemathesis as {role}: " + (f"{summary.group(1)} operations, {summary.group(3)} cases" if summary
                                          else "no summary"))
    assert proc.returncode == 0, text[-6000:]
    assert summary and int(summary.group(1)) == int(summary.group(2)) - 1 >= 100, text[-2000:]
