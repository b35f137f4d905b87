"""A service-to-service identity token for calling a service's gRPC API by hand (grpcurl):

    grpcurl -plaintext -H "x-bth-identity: $(.venv/bin/python -m services.devtoken op --roles operator)" ...

Signed with INTERNAL_AUTH_KEY, or with the key `make run` keeps in DEV_DATA_DIR (./.data).
Valid for five minutes (internal_auth.LIFETIME_SECONDS)."""

import argparse
import os
from pathlib import Path

from services.common import internal_auth
from services.common.identity import Principal


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m services.devtoken")
    parser.add_argument("subject")
    parser.add_argument("--organisation", default="")
    parser.add_argument("--region", default="")
    parser.add_argument("--roles", default="", help="comma-separated, e.g. operator or institution")
    args = parser.parse_args(argv)
    who = Principal(args.subject, args.organisation, args.region, frozenset(r for r in args.roles.split(",") if r))
    print(internal_auth.sign(who, internal_auth.require_key(key())))


def key() -> str:
    """INTERNAL_AUTH_KEY, or the key `make run` keeps in DEV_DATA_DIR (./.data)."""
    stored = Path(os.environ.get("DEV_DATA_DIR", ".data")) / "internal-auth.key"
    if os.environ.get("INTERNAL_AUTH_KEY"):
        return os.environ["INTERNAL_AUTH_KEY"]
    return stored.read_text().strip() if stored.exists() else ""


if __name__ == "__main__":
    main()
