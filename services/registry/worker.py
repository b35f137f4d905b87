"""`python -m services.registry.worker`: the registry stream worker (faust timers and agents
declared in services/registry/spec.py), with /metrics, /healthz and /readyz on METRICS_PORT."""

from services.common.service import worker_main
from services.registry.spec import SPEC

if __name__ == "__main__":
    worker_main(SPEC)
