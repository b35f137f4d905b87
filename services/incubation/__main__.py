"""`python -m services.incubation`: the incubation API process (gRPC, outbox relay, consumers)."""

from services.common.service import api_main
from services.incubation.spec import SPEC

if __name__ == "__main__":
    api_main(SPEC)
