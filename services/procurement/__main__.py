"""`python -m services.procurement`: the procurement API process (gRPC, outbox relay, consumers)."""

from services.common.service import api_main
from services.procurement.spec import SPEC

if __name__ == "__main__":
    api_main(SPEC)
