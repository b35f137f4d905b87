"""Schemathesis hooks for the fuzz test (loaded through SCHEMATHESIS_HOOKS): every request
carries a bearer token of the role named by FUZZ_ROLE, minted for a fresh principal each
second, so the per-principal rate limit never answers in place of the operation."""

import os
import uuid

import schemathesis

from tests.support.identity import bearer

ROLE = os.environ.get("FUZZ_ROLE", "operator")


@schemathesis.auth(refresh_interval=1)
class FreshPrincipal:
    def get(self, case, ctx):
        tag = uuid.uuid4().hex[:8]
        return bearer(f"fuzz-{ROLE}-{tag}", f"org-fuzz-{tag}", "BEIJING", ROLE)["Authorization"]

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": data}
