"""`python -m services.incubation.worker`: the incubation stream worker (faust timers and agents
declared in services/incubation/spec.py), with /metrics, /healthz and /readyz on METRICS_PORT."""

from services.common.service import worker_main
from services.incubation.spec import SPEC

if __name__ == "__main__":
    worker_main(SPEC)
