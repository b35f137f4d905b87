"""`python -m services.registry`: the registry API process (gRPC, outbox relay, consumers)."""

from services.common.service import api_main
from services.registry.spec import SPEC

if __name__ == "__main__":
    api_main(SPEC)
