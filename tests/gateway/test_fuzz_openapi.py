"""Issue 12: property-based fuzzing of every REST operation from the gateway's own OpenAPI
document with schemathesis (its CLI, as an integrator would run it), as an operator and as an
institution: no 5xx anywhere. The figures of the run are printed (docs/security.md)."""

import asyncio
import os
import re
import sys
from pathlib import Path

import pytest

HOOKS = "tests.support.st_hooks"
ST = Path(sys.executable).parent / "st"


@pytest.mark.parametrize("role", ["operator", "institution"])
async def test_no_operation_answers_a_server_error(platform, role):
    env = os.environ | {"SCHEMATHESIS_HOOKS": HOOKS, "FUZZ_ROLE": role, "NO_COLOR": "1"}
    proc = await asyncio.create_subprocess_exec(
        str(ST), "run", f"{platform.gateway_url}/openapi.json", "--checks", "not_a_server_error",
        "--max-examples", "5", "--seed", "20261206", "--request-timeout", "20", "--workers", "1",
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    out, _ = await asyncio.wait_for(proc.communicate(), 600)
    text = out.decode(errors="replace")
    summary = re.search(r"Selected: (\d+)/(\d+).*?(\d+) generated, (\d+) (?:passed|found)", text, re.S)
    print(f"\nschemathesis as {role}: " + (f"{summary.group(1)} operations, {summary.group(3)} cases" if summary
                                          else "no summary"))
    assert proc.returncode == 0, text[-6000:]
    assert summary and int(summary.group(1)) == int(summary.group(2)) >= 100, text[-2000:]
