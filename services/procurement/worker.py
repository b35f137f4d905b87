"""`python -m services.procurement.worker`: the procurement stream worker (faust timers and agents
declared in services/procurement/spec.py), with /metrics, /healthz and /readyz on METRICS_PORT."""

from services.common.service import worker_main
from services.procurement.spec import SPEC

if __name__ == "__main__":
    worker_main(SPEC)
