"""Ports of one `make run` instance: each from its DEV_* variable when set (it must be free,
else one clear line naming the variable), otherwise the usual port when free, otherwise any
free port. Nothing here overrides the environment, so two instances run side by side."""

import random
import socket
from collections.abc import Callable

# name → (variable, usual port); Mongo: one server per service
_SERVICES = ("registry", "procurement", "incubation")
PORTS = {"http": ("DEV_HTTP_PORT", 8000), "kafka": ("DEV_KAFKA_PORT", 9092)}
PORTS |= {f"mongo-{s}": (f"DEV_MONGO_{s.upper()}_PORT", 27017 + i) for i, s in enumerate(("gateway", *_SERVICES))}
PORTS |= {f"grpc-{s}": (f"DEV_{s.upper()}_GRPC_PORT", 50051 + i) for i, s in enumerate(_SERVICES)}
PORTS |= {f"metrics-{s}": (f"DEV_{s.upper()}_METRICS_PORT", 9100 + i) for i, s in enumerate(("gateway", *_SERVICES))}


def is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


# Below the kernel's ephemeral range (32768+): a port the kernel hands out as "free" can be
# taken by any outgoing connection before the server binds it ("Address already in use").
PICK_RANGE = (20000, 32700)
_handed_out: set[int] = set()


def any_free() -> int:
    """A free port outside the ephemeral range, never the same twice in one process."""
    rng = random.Random()
    for _ in range(2000):
        port = rng.randrange(*PICK_RANGE)
        if port not in _handed_out and is_free(port) and not _listening(port):
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free port in {PICK_RANGE}")


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


def choose(env: dict[str, str], free: Callable[[int], bool] = is_free,
           pick: Callable[[], int] = any_free) -> dict[str, tuple[int, str]]:
    """name → (port, where it came from). Raises SystemExit naming a variable whose port is
    taken or not a port. Also read: HTTP_PORT (the gateway), DEV_MONGO_PORT (first of four)."""
    chosen: dict[str, tuple[int, str]] = {}
    taken: set[int] = set()
    for name, (var, usual) in PORTS.items():
        given, source = _given(env, name, var)
        if given:
            if not given.isdigit() or not 0 < int(given) < 65536:
                raise SystemExit(f"configuration error: {source}: not a port (got {given!r})")
            port = int(given)
            if port in taken or not free(port):
                raise SystemExit(f"port {port} ({source}, for {name}) is taken: stop what uses it or choose "
                                 f"another {source}")
        elif usual not in taken and free(usual):
            port, source = usual, "usual"
        else:
            port, source = _unused(pick, taken), f"free (usual {usual} taken)"
        chosen[name] = (port, source)
        taken.add(port)
    return chosen


def _given(env: dict[str, str], name: str, var: str) -> tuple[str | None, str]:
    """The value set for this port, and its variable (older names: HTTP_PORT, DEV_MONGO_PORT base)."""
    if env.get(var):
        return env[var], var
    if name == "http" and env.get("HTTP_PORT"):
        return env["HTTP_PORT"], "HTTP_PORT"
    base = env.get("DEV_MONGO_PORT")
    if name.startswith("mongo-") and base:
        offset = list(PORTS).index(name) - list(PORTS).index("mongo-gateway")
        return (str(int(base) + offset) if base.isdigit() else base), f"DEV_MONGO_PORT+{offset}"
    return None, ""


def _unused(pick: Callable[[], int], taken: set[int]) -> int:
    while (port := pick()) in taken:
        pass
    return port
