"""What the rendered chart runs: for every Deployment and the admin hook Job, the container's
command, its environment (env, envFrom ConfigMaps and Secret references resolved) and the
probes it declares, so a test can start exactly those processes on one machine."""

from dataclasses import dataclass, field

from tests.deploy.chart import render  # noqa: F401 - the one way the tests render the chart


@dataclass
class Container:
    component: str
    command: list[str]
    env: dict[str, str]
    ports: dict[str, int]                         # container port name -> number
    probes: dict[str, dict] = field(default_factory=dict)   # startup/liveness/readiness -> probe


def _env(spec: dict, config_maps: dict[str, dict], secrets: dict[tuple[str, str], str]) -> dict[str, str]:
    env: dict[str, str] = {}
    for source in spec.get("envFrom", []):
        env |= config_maps[source["configMapRef"]["name"]]
    for item in spec.get("env", []):
        if "value" in item:
            env[item["name"]] = str(item["value"])
        elif ref := item.get("valueFrom", {}).get("secretKeyRef"):
            env[item["name"]] = secrets[(ref["name"], ref["key"])]
        elif ref := item.get("valueFrom", {}).get("configMapKeyRef"):
            env[item["name"]] = config_maps[ref["name"]][ref["key"]]
    return env


def containers(docs: list[dict], secrets: dict[tuple[str, str], str]) -> dict[str, Container]:
    """component -> its (only) container, for every Deployment and the hook Job ("admin-init")."""
    config_maps = {d["metadata"]["name"]: d.get("data", {}) for d in docs if d["kind"] == "ConfigMap"}
    found = {}
    for d in docs:
        if d["kind"] not in ("Deployment", "Job"):
            continue
        (spec,) = d["spec"]["template"]["spec"]["containers"]
        name = d["metadata"]["labels"]["app.kubernetes.io/component"]
        probes = {kind: spec[f"{kind}Probe"] for kind in ("startup", "liveness", "readiness") if f"{kind}Probe" in spec}
        found[name] = Container(name, spec["command"] + spec.get("args", []), _env(spec, config_maps, secrets),
                                {p["name"]: p["containerPort"] for p in spec.get("ports", [])}, probes)
    return found
