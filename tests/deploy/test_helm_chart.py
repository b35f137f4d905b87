"""The Helm chart (deploy/k8s/bth-platform): lint, render, Kubernetes schemas, policies.

No helm binary and no cluster: helm-python-sdk binds Helm's own Go library (lint, render,
values-schema validation, exactly as `helm lint` / `helm template` do them), and
kubernetes-validate checks every rendered object offline against the Kubernetes OpenAPI
schemas, in strict mode (an unknown or misspelt field fails). The values schema is also
checked with jsonschema directly, independently of Helm.
"""

import copy
import importlib
import json
import os
import re
from pathlib import Path

import helm_python as helm
import jsonschema
import kubernetes_validate
import pytest
import yaml

from tests.deploy.chart import component, of_kind, selects

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "k8s" / "bth-platform"
VALUES_FILES = {"default": None, "production": CHART / "values-production.example.yaml"}
RELEASE, NAMESPACE = "bth", "bth-platform"
MIN_KUBE = "1.29.0"  # Chart.yaml kubeVersion
KUBE_VERSIONS = (MIN_KUBE, kubernetes_validate.utils.latest_version())

# The process conventions of the repository: component -> (module, named container ports).
WORKLOADS = {
    "registry": ("services.registry", {"grpc": 50051, "metrics": 9101}),
    "registry-worker": ("services.registry.worker", {"metrics": 9111}),
    "procurement": ("services.procurement", {"grpc": 50052, "metrics": 9102}),
    "procurement-worker": ("services.procurement.worker", {"metrics": 9112}),
    "incubation": ("services.incubation", {"grpc": 50053, "metrics": 9103}),
    "incubation-worker": ("services.incubation.worker", {"metrics": 9113}),
    "gateway": ("services.gateway", {"http": 8000, "metrics": 9100}),
    "gateway-delivery": ("services.gateway.delivery", {"metrics": 9110}),
}
DOMAIN_OF = {"registry": "registry", "procurement": "procurement", "incubation": "incubation", "gateway": "gateway"}
SECRET_ENV = {"KAFKA_SASL_PASSWORD", "MONGO_URI", "JWT_PRIVATE_KEY", "JWT_PREVIOUS_PUBLIC_KEYS",
              "BOOTSTRAP_OPERATOR_PASSWORD"}
COMMON_ENV = {
    "KAFKA_BOOTSTRAP_SERVERS", "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_USERNAME",
    "KAFKA_SASL_PASSWORD", "KAFKA_ENABLE_IDEMPOTENCE", "KAFKA_TOPIC_PARTITIONS", "KAFKA_REPLICATION_FACTOR",
    "KAFKA_TOPIC_RETENTION_MS", "MONGO_URI", "MONGO_DB", "METRICS_PORT", "LOG_LEVEL", "LOG_FORMAT",
    "REGISTRY_ADDR", "PROCUREMENT_ADDR", "INCUBATION_ADDR",
}
GATEWAY_ENV = {  # services/gateway/settings.py
    "HTTP_HOST", "HTTP_PORT", "JWT_ALGORITHM", "JWT_PRIVATE_KEY", "JWT_ISSUER", "JWT_AUDIENCE",
    "BOOTSTRAP_OPERATOR_USERNAME", "BOOTSTRAP_OPERATOR_PASSWORD", "WEBHOOK_RETRY_HORIZON_SECONDS",
    "WEBHOOK_TIMEOUT_SECONDS", "WEBHOOK_ALLOW_PRIVATE_NETWORKS", "DELIVERY_IN_PROCESS",
}


# The settings class each process loads (pydantic-settings; unknown variables are ignored
# silently, so the test below checks the names too).
SETTINGS_CLASSES = {
    "registry": "services.registry.bootstrap:RegistrySettings",
    "procurement": "services.procurement.bootstrap:ProcurementSettings",
    "incubation": "services.incubation.bootstrap:IncubationSettings",
    "gateway": "services.gateway.settings:GatewaySettings",
    "admin": "services.common.settings:ServiceSettings",
}
# Set by the chart for a reader outside the settings classes, or specified for a reader
# that does not exist yet.
READ_ELSEWHERE = {
    "FAUST_DATADIR",             # faust-streaming reads it itself
    "FORWARDED_ALLOW_IPS",       # uvicorn reads it itself (whose X-Forwarded-For names the client)
    "KAFKA_TOPIC_RETENTION_MS",  # issue 7: `services.admin init` is to apply it (KafkaSettings lacks it so far)
}


# ----------------------------------------------------------------------------- helpers

def load_values(which: str) -> dict | None:
    path = VALUES_FILES[which]
    return yaml.safe_load(path.read_text()) if path else None


def coalesce(defaults: dict, overrides: dict | None) -> dict:
    """Helm's merge of user values into chart defaults: maps merge, anything else replaces,
    null deletes."""
    merged = copy.deepcopy(defaults)
    for key, value in (overrides or {}).items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = coalesce(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def env_of(container: dict) -> dict[str, dict]:
    return {e["name"]: e for e in container.get("env", [])}


def pod_specs(docs: list[dict]):
    """(object, pod spec) of every workload that runs pods: Deployments and the hook Job."""
    for d in docs:
        if d["kind"] in ("Deployment", "Job"):
            yield d, d["spec"]["template"]["spec"]


@pytest.fixture(scope="module")
def chart():
    loaded = helm.Chart.load(CHART)
    yield loaded
    loaded.close()


_RENDERED: dict[str, tuple[dict, list[dict]]] = {}


def render(chart, which: str) -> tuple[dict[str, str], list[dict]]:
    if which not in _RENDERED:
        files = chart.render(load_values(which), name=RELEASE, namespace=NAMESPACE, is_install=True)
        docs = [d for name, text in sorted(files.items()) if name.endswith(".yaml")
                for d in yaml.safe_load_all(text) if d]
        _RENDERED[which] = (files, docs)
    return _RENDERED[which]


@pytest.fixture(scope="module", params=list(VALUES_FILES))
def rendered(request, chart):
    """(values set name, merged values, rendered objects), for every values set."""
    _files, docs = render(chart, request.param)
    merged = chart.merge_values(load_values(request.param))
    return request.param, merged, docs


# ----------------------------------------------------------------------------- lint and render

@pytest.mark.parametrize("which", list(VALUES_FILES))
def test_chart_lints_clean(which):
    report = helm.lint(CHART, load_values(which), strict=True, kube_version=f"v{MIN_KUBE}")
    problems = [m for m in report["messages"] if m["severity"] >= 2]  # warnings and errors
    assert report["total_charts_linted"] == 1
    assert not report["errors"] and not problems, problems or report["errors"]


def test_chart_metadata(chart):
    meta = chart.metadata
    assert meta["apiVersion"] == "v2" and meta["name"] == "bth-platform" and meta["type"] == "application"
    assert chart.schema is not None, "values.schema.json must ship with the chart"


def test_renders_every_object(rendered):
    which, values, docs = rendered
    by_kind: dict[str, list[str]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], []).append(d["metadata"]["name"])
    prefix = f"{RELEASE}-bth-platform-"
    assert sorted(by_kind["Deployment"]) == sorted(prefix + c for c in WORKLOADS)
    apis = ("registry", "procurement", "incubation")
    assert sorted(by_kind["Service"]) == sorted([prefix + c for c in (*apis, "gateway")] +
                                                [f"{prefix}{c}-headless" for c in apis])
    monitors = values["metrics"]["monitors"]["enabled"]
    assert sorted(by_kind.get("ServiceMonitor", [])) == (sorted(prefix + c for c in (*apis, "gateway"))
                                                         if monitors else [])
    assert sorted(by_kind.get("PodMonitor", [])) == (sorted(prefix + c for c in WORKLOADS if "grpc" not in
                                                            WORKLOADS[c][1] and "http" not in WORKLOADS[c][1])
                                                     if monitors else [])
    assert by_kind.get("PrometheusRule", []) == ([RELEASE + "-bth-platform"] if values["metrics"]["rules"]["enabled"]
                                                 else [])
    assert sorted(by_kind["PodDisruptionBudget"]) == sorted(by_kind["Deployment"])
    assert sorted(by_kind["ServiceAccount"]) == sorted(by_kind["Deployment"] + [prefix + "admin-init"])
    assert sorted(by_kind["NetworkPolicy"]) == sorted(by_kind["Deployment"] + [prefix + "admin-init"])
    assert sorted(by_kind["ConfigMap"]) == [prefix + "common", prefix + "gateway"]
    assert by_kind["Job"] == [prefix + "admin-init"]
    assert "Secret" not in by_kind, "the chart must never render a Secret"
    assert ("Ingress" in by_kind) == values["ingress"]["enabled"]
    for d in docs:
        assert d["metadata"].get("namespace") == NAMESPACE, d["metadata"]["name"]
        assert len(d["metadata"]["name"]) <= 63


def test_notes_render(chart):
    files, _ = render(chart, "default")
    notes = files["bth-platform/templates/NOTES.txt"]
    assert f"job/{RELEASE}-bth-platform-admin-init" in notes and "port-forward" in notes


@pytest.mark.parametrize("kube_version", KUBE_VERSIONS)
def test_manifests_match_kubernetes_schemas(rendered, kube_version):
    _which, _values, docs = rendered
    failures = []
    for d in docs:
        if d["apiVersion"].startswith("monitoring.coreos.com/"):
            continue  # custom resources: test_chart_monitoring.py validates them against their CRDs
        try:
            kubernetes_validate.validate(d, kube_version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            failures.append(f"{d['kind']}/{d['metadata']['name']}: {path}: {exc.message}")
        except kubernetes_validate.SchemaNotFoundError as exc:  # a kind we cannot check is a failure here
            failures.append(f"{d['kind']}/{d['metadata']['name']}: {exc.message}")
    assert not failures, "\n".join(failures)


def test_strict_schema_validation_catches_a_typo(chart):
    """The offline Kubernetes validation is not a rubber stamp."""
    _files, docs = render(chart, "default")
    deployment = copy.deepcopy(of_kind(docs, "Deployment")[0])
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, MIN_KUBE, strict=True)


# ----------------------------------------------------------------------------- workload policies

def test_every_pod_runs_restricted(rendered):
    _which, values, docs = rendered
    ids = values["securityContext"]
    accounts = {sa["metadata"]["name"]: sa for sa in of_kind(docs, "ServiceAccount")}
    for obj, spec in pod_specs(docs):
        name = obj["metadata"]["name"]
        psc = spec["securityContext"]
        assert psc["runAsNonRoot"] is True and psc["runAsUser"] == ids["runAsUser"] == 10001, name
        assert psc["runAsGroup"] == ids["runAsGroup"] and psc["fsGroup"] == ids["fsGroup"], name
        assert psc["seccompProfile"]["type"] == "RuntimeDefault", name
        assert spec["automountServiceAccountToken"] is False, name
        assert accounts[spec["serviceAccountName"]]["automountServiceAccountToken"] is False, name
        assert "hostNetwork" not in spec and "hostPID" not in spec and "hostIPC" not in spec, name
        tmp = {v["name"]: v for v in spec["volumes"]}["tmp"]
        assert "emptyDir" in tmp, name
        for c in spec.get("initContainers", []) + spec["containers"]:
            sc = c["securityContext"]
            assert sc["runAsNonRoot"] is True and sc["runAsUser"] == ids["runAsUser"], name
            assert sc["runAsGroup"] == ids["runAsGroup"], name
            assert sc["readOnlyRootFilesystem"] is True, name
            assert sc["allowPrivilegeEscalation"] is False, name
            assert sc.get("privileged", False) is False, name
            assert sc["capabilities"]["drop"] == ["ALL"] and not sc["capabilities"].get("add"), name
            assert sc["seccompProfile"]["type"] == "RuntimeDefault", name
            assert {"name": "tmp", "mountPath": "/tmp"} in c["volumeMounts"], name
            res = c["resources"]
            assert res["requests"]["cpu"] and res["requests"]["memory"], name
            assert res["limits"]["memory"], name


def test_every_deployment_has_probes_and_spread(rendered):
    _which, _values, docs = rendered
    for d in of_kind(docs, "Deployment"):
        comp = component(d)
        spec = d["spec"]["template"]["spec"]
        (c,) = spec["containers"]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
            assert probe in c, f"{comp}: {probe}"
        ports = WORKLOADS[comp][1]
        if "grpc" in ports:  # native gRPC health probes on the gRPC port
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                assert c[probe]["grpc"] == {"port": ports["grpc"]}, comp
        elif "http" in ports:  # the gateway's own endpoints
            assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
            assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        else:  # workers and delivery: the probe listener on the metrics port (services.common.probes)
            assert c["startupProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}, comp
            assert c["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "metrics"}, comp
            assert c["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "metrics"}, comp
        constraints = spec["topologySpreadConstraints"]
        assert {t["topologyKey"] for t in constraints} >= {"kubernetes.io/hostname"}
        pod_labels = d["spec"]["template"]["metadata"]["labels"]
        assert all(selects(t["labelSelector"], pod_labels) for t in constraints), comp


def test_process_conventions(rendered):
    _which, values, docs = rendered
    for d in of_kind(docs, "Deployment"):
        comp = component(d)
        module, ports = WORKLOADS[comp]
        (c,) = d["spec"]["template"]["spec"]["containers"]
        assert c["command"] == ["python", "-m", module], comp
        assert {p["name"]: p["containerPort"] for p in c["ports"]} == ports, comp
        env = env_of(c)
        assert env["METRICS_PORT"]["value"] == str(ports["metrics"])
        if "grpc" in ports:
            assert env["GRPC_HOST"]["value"] == "0.0.0.0" and env["GRPC_PORT"]["value"] == str(ports["grpc"])
        domain = values[DOMAIN_OF[comp.split("-")[0]]]
        assert env["MONGO_DB"]["value"] == domain["mongo"]["database"]
        assert env["MONGO_URI"]["valueFrom"]["secretKeyRef"] == {
            "name": domain["mongo"]["uriSecret"]["existingSecret"], "key": domain["mongo"]["uriSecret"]["key"]}
        if comp.endswith("worker") or comp.endswith("delivery"):
            assert "FAUST_DATADIR" in env and env["FAUST_DATADIR"]["value"].startswith("/tmp/")
    (job,) = of_kind(docs, "Job")
    databases = [a for d in ("registry", "procurement", "incubation", "gateway")
                 for a in ("--database", f"{d}={values[d]['mongo']['database']}")]
    assert job["spec"]["template"]["spec"]["containers"][0]["command"] == [
        "python", "-m", "services.admin", "init", *databases]


def test_webhook_delivery_runs_once(rendered):
    """Feed ingestion and webhook delivery run in exactly one process: the delivery worker,
    a singleton (never two pods, not even during a rollout), not inside the gateway pods."""
    _which, values, docs = rendered
    deployments = {component(d): d for d in of_kind(docs, "Deployment")}
    delivery = deployments["gateway-delivery"]
    assert delivery["spec"]["replicas"] == 1 and delivery["spec"]["strategy"] == {"type": "Recreate"}
    assert not any(h["spec"]["scaleTargetRef"]["name"] == delivery["metadata"]["name"]
                   for h in of_kind(docs, "HorizontalPodAutoscaler"))
    (gateway,) = deployments["gateway"]["spec"]["template"]["spec"]["containers"]
    assert env_of(gateway)["DELIVERY_IN_PROCESS"]["value"] == "false"
    for name, d in deployments.items():
        if name != "gateway-delivery":
            assert d["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0, name


def test_settings_reach_every_process(rendered):
    """Every variable the processes read is set: from the ConfigMaps (non-secret) or the
    container env (per-process values and secret references)."""
    _which, values, docs = rendered
    maps = {cm["metadata"]["name"]: cm["data"] for cm in of_kind(docs, "ConfigMap")}
    common = maps[f"{RELEASE}-bth-platform-common"]
    services = {s["metadata"]["name"]: s for s in of_kind(docs, "Service")}
    for d in of_kind(docs, "Deployment"):
        comp = component(d)
        (c,) = d["spec"]["template"]["spec"]["containers"]
        names = set(env_of(c))
        for source in c.get("envFrom", []):
            names |= set(maps[source["configMapRef"]["name"]])
        assert COMMON_ENV <= names, f"{comp}: missing {sorted(COMMON_ENV - names)}"
        if comp == "gateway":
            assert GATEWAY_ENV <= names, f"{comp}: missing {sorted(GATEWAY_ENV - names)}"
        if comp != "gateway":
            assert not {"JWT_PRIVATE_KEY", "BOOTSTRAP_OPERATOR_PASSWORD"} & names, comp
    kafka = values["kafka"]
    assert common["KAFKA_BOOTSTRAP_SERVERS"] == kafka["bootstrapServers"]
    assert common["KAFKA_SECURITY_PROTOCOL"] == kafka["securityProtocol"]
    assert common["KAFKA_TOPIC_PARTITIONS"] == str(kafka["topics"]["partitions"])
    assert common["KAFKA_REPLICATION_FACTOR"] == str(kafka["topics"]["replicationFactor"])
    assert common["KAFKA_TOPIC_RETENTION_MS"] == str(kafka["topics"]["retentionMs"])
    assert common["KAFKA_ENABLE_IDEMPOTENCE"] == str(kafka["enableIdempotence"]).lower()
    if kafka["tls"]["caSecret"]["existingSecret"]:
        assert common["KAFKA_SSL_CAFILE"] == f"/etc/bth/kafka-ca/{kafka['tls']['caSecret']['key']}"
        for _obj, spec in pod_specs(docs):
            vol = {v["name"]: v for v in spec["volumes"]}["kafka-ca"]
            assert vol["secret"]["secretName"] == kafka["tls"]["caSecret"]["existingSecret"]
            assert {"name": "kafka-ca", "mountPath": "/etc/bth/kafka-ca", "readOnly": True} in \
                spec["containers"][0]["volumeMounts"]
    mongo_ca = values["mongo"]["tls"]["caSecret"]
    for _obj, spec in pod_specs(docs):
        mounted = {m["name"]: m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
        assert (mounted.get("mongo-ca") == "/etc/bth/mongo-ca") == bool(mongo_ca["existingSecret"])
    # the *_ADDR settings are DNS-resolver targets of the domain APIs' headless Services, on
    # their gRPC ports: clients see every ready pod and balance over them (round_robin)
    for var, comp in (("REGISTRY_ADDR", "registry"), ("PROCUREMENT_ADDR", "procurement"),
                      ("INCUBATION_ADDR", "incubation")):
        scheme, _, target = common[var].partition(":///")
        host, port = target.rsplit(":", 1)
        service = services[f"{RELEASE}-bth-platform-{comp}-headless"]
        assert scheme == "dns" and host == f"{service['metadata']['name']}.{NAMESPACE}.svc.{values['clusterDomain']}"
        assert service["spec"]["clusterIP"] == "None" and service["spec"]["publishNotReadyAddresses"] is False
        assert service["spec"]["ports"] == [{"name": "grpc", "port": int(port), "targetPort": "grpc",
                                             "protocol": "TCP", "appProtocol": "grpc"}]


def settings_env_names(cls, prefix: str = "") -> set[str]:
    """The environment variables a pydantic-settings class reads (nested settings included)."""
    from pydantic_settings import BaseSettings

    names = set()
    for field_name, field in cls.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseSettings):
            names |= settings_env_names(kind, kind.model_config.get("env_prefix", ""))
        else:
            names.add((prefix + field_name).upper())
    return names


def test_rendered_env_is_what_the_processes_read(rendered, monkeypatch):
    """Each pod's environment (ConfigMaps + env, secrets as placeholders) loads with the
    process's own settings class, names no variable that nothing reads, and lands where
    the chart means it to."""
    _which, values, docs = rendered
    maps = {cm["metadata"]["name"]: cm["data"] for cm in of_kind(docs, "ConfigMap")}
    for obj, spec in pod_specs(docs):
        comp = component(obj)
        domain = comp.split("-")[0] if comp != "admin-init" else "admin"
        module, _, cls_name = SETTINGS_CLASSES[domain].partition(":")
        cls = getattr(importlib.import_module(module), cls_name)
        (container,) = spec["containers"]
        env: dict[str, str] = {}
        for source in container.get("envFrom", []):
            env |= maps[source["configMapRef"]["name"]]
        for var in container["env"]:
            ref = var.get("valueFrom", {}).get("secretKeyRef")
            env[var["name"]] = f"secret:{ref['name']}/{ref['key']}" if ref else var["value"]
        read = settings_env_names(cls)
        assert not set(env) - read - READ_ELSEWHERE, f"{comp}: nothing reads {sorted(set(env) - read - READ_ELSEWHERE)}"
        with monkeypatch.context() as m:
            for name in list(os.environ):
                if name.upper() in read:
                    m.delenv(name)
            for name, value in env.items():
                m.setenv(name, value)
            settings = cls() if domain != "admin" else cls(service_name="admin")
        kafka = values["kafka"]
        assert settings.kafka.bootstrap_servers == kafka["bootstrapServers"]
        assert settings.kafka.security_protocol == kafka["securityProtocol"]
        assert settings.kafka.enable_idempotence is kafka["enableIdempotence"]
        assert settings.kafka.topic_partitions == kafka["topics"]["partitions"]
        assert settings.kafka.replication_factor == kafka["topics"]["replicationFactor"]
        if kafka["securityProtocol"].startswith("SASL"):
            secret = kafka["sasl"]["passwordSecret"]
            assert settings.kafka.sasl_password == f"secret:{secret['existingSecret']}/{secret['key']}"
        if domain == "admin":
            assert settings.mongo.db == "", "admin init must not be pinned to one database"
            continue
        ports = WORKLOADS[comp][1]
        assert settings.metrics_port == ports["metrics"]
        assert settings.database == values[domain]["mongo"]["database"]
        if "grpc" in ports:
            assert (settings.grpc_host, settings.grpc_port) == ("0.0.0.0", ports["grpc"])
        if comp == "gateway":
            assert (settings.http_host, settings.http_port) == ("0.0.0.0", ports["http"])
            assert settings.delivery_in_process is False
            assert settings.jwt_private_key.startswith("secret:"), "gateway pods must share one signing key"
            assert settings.webhook_allow_private_networks is values["gateway"]["webhooks"]["allowPrivateNetworks"]


def test_secrets_are_references_only(rendered):
    """Credentials come from existing Secrets by name and key; nothing secret is inline."""
    _which, _values, docs = rendered
    for obj, spec in pod_specs(docs):
        for c in spec["containers"]:
            for name, var in env_of(c).items():
                if name in SECRET_ENV:
                    assert "value" not in var and var["valueFrom"]["secretKeyRef"]["name"], (obj["metadata"], name)
    for cm in of_kind(docs, "ConfigMap"):
        assert not SECRET_ENV & set(cm["data"]), cm["metadata"]["name"]
        assert not any(re.search(r"://[^/@\s]+:[^/@\s]+@", v) for v in cm["data"].values()), "credentials in a URI"


# ----------------------------------------------------------------------------- coverage by label selectors

def test_every_deployment_is_covered(rendered):
    """Each Deployment's pods are selected by a PDB and a NetworkPolicy (Ingress + Egress);
    each Service and HPA points at a real workload."""
    _which, values, docs = rendered
    pdbs, policies = of_kind(docs, "PodDisruptionBudget"), of_kind(docs, "NetworkPolicy")
    deployments = {d["metadata"]["name"]: d for d in of_kind(docs, "Deployment")}
    for name, d in deployments.items():
        labels = d["spec"]["template"]["metadata"]["labels"]
        assert selects(d["spec"]["selector"], labels), name
        covering = [p for p in pdbs if selects(p["spec"]["selector"], labels)]
        assert len(covering) == 1, f"{name}: {len(covering)} PDBs"
        covering = [p for p in policies if selects(p["spec"]["podSelector"], labels)]
        assert covering, f"{name}: no NetworkPolicy"
        assert all(set(p["spec"]["policyTypes"]) == {"Ingress", "Egress"} for p in covering), name
        others = [o for o in deployments.values() if o is not d]
        assert not any(selects(d["spec"]["selector"], o["spec"]["template"]["metadata"]["labels"]) for o in others)
    (job,) = of_kind(docs, "Job")
    job_labels = job["spec"]["template"]["metadata"]["labels"]
    assert any(selects(p["spec"]["podSelector"], job_labels) for p in policies), "admin-init Job"
    for svc in of_kind(docs, "Service"):
        targets = [d for d in deployments.values() if selects({"matchLabels": svc["spec"]["selector"]},
                                                              d["spec"]["template"]["metadata"]["labels"])]
        assert len(targets) == 1, svc["metadata"]["name"]
        port_names = {p["name"] for p in targets[0]["spec"]["template"]["spec"]["containers"][0]["ports"]}
        assert {p["targetPort"] for p in svc["spec"]["ports"]} <= port_names
    for hpa in of_kind(docs, "HorizontalPodAutoscaler"):
        target = deployments[hpa["spec"]["scaleTargetRef"]["name"]]
        assert "replicas" not in target["spec"], "the HPA owns the replica count"
        assert hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    autoscaled = {h["spec"]["scaleTargetRef"]["name"] for h in of_kind(docs, "HorizontalPodAutoscaler")}
    for name, d in deployments.items():
        assert name in autoscaled or "replicas" in d["spec"], name


def _peer_allows(rule: dict, labels: dict, namespace_labels: dict) -> bool:
    for peer in rule.get("from", rule.get("to", [])):
        if "ipBlock" in peer:
            continue
        ns_ok = selects(peer["namespaceSelector"], namespace_labels) if "namespaceSelector" in peer else \
            namespace_labels.get("kubernetes.io/metadata.name") == NAMESPACE
        if ns_ok and selects(peer.get("podSelector", {}), labels):
            return True
    return False


def test_network_policies_isolate_the_release(rendered):
    _which, values, docs = rendered
    np_values = values["networkPolicy"]
    policies = {component(p): p for p in of_kind(docs, "NetworkPolicy")}
    pods = {component(d): d["spec"]["template"]["metadata"]["labels"] for d in of_kind(docs, "Deployment")}
    (job,) = of_kind(docs, "Job")
    pods["admin-init"] = job["spec"]["template"]["metadata"]["labels"]
    here = {"kubernetes.io/metadata.name": NAMESPACE}
    ingress_ns = np_values["ingressController"]["namespaceSelector"]["matchLabels"]
    scraper_ns = np_values["metricsScraper"]["namespaceSelector"]["matchLabels"]
    grpc_ports = {p["grpc"] for _m, p in WORKLOADS.values() if "grpc" in p}

    for comp, policy in policies.items():
        rules = policy["spec"].get("ingress", [])
        assert all(r.get("from") for r in rules), f"{comp}: an ingress rule without 'from' admits everyone"
        assert all(r.get("ports") for r in rules), f"{comp}: an ingress rule without ports"
        allowed_ports = {p["port"] for r in rules for p in r["ports"]}
        ports = WORKLOADS.get(comp, ("", {}))[1]
        if comp == "gateway":
            assert allowed_ports == {8000, 9100}
            http_rule = next(r for r in rules if r["ports"][0]["port"] == 8000)
            controller = np_values["ingressController"].get("podSelector", {}).get("matchLabels", {})
            assert _peer_allows(http_rule, controller, ingress_ns), "ingress controller -> gateway"
            assert not _peer_allows(http_rule, pods["registry"], here), "gateway open to the release's own pods"
        elif comp == "admin-init":
            assert rules == []
        elif "grpc" in ports:  # domain APIs: the gateway and the other domain processes only
            assert allowed_ports == {ports["grpc"], ports["metrics"]}
            grpc_rule = next(r for r in rules if r["ports"][0]["port"] == ports["grpc"])
            for client in ("gateway", "registry", "procurement-worker", "incubation"):
                assert _peer_allows(grpc_rule, pods[client], here), f"{client} -> {comp}"
            for outsider in ("gateway-delivery", "admin-init"):
                assert not _peer_allows(grpc_rule, pods[outsider], here), f"{outsider} -> {comp}"
            assert not _peer_allows(grpc_rule, pods["gateway"], ingress_ns), "gRPC open outside the release"
        else:  # workers: metrics scraping only
            assert allowed_ports == {ports["metrics"]}, comp
            assert _peer_allows(rules[0], {"app.kubernetes.io/name": "prometheus"}, scraper_ns)

        egress = policy["spec"]["egress"]
        assert all(r.get("to") and r.get("ports") for r in egress), f"{comp}: unrestricted egress rule"
        egress_ports = {p["port"] for r in egress for p in r["ports"]}
        assert 53 in egress_ports, f"{comp}: DNS"
        assert set(np_values["kafka"]["ports"]) <= egress_ports, f"{comp}: Kafka"
        assert set(np_values["mongo"]["ports"]) <= egress_ports, f"{comp}: MongoDB"
        reaches_apis = grpc_ports <= egress_ports
        assert reaches_apis == (comp in ("gateway", "registry", "registry-worker", "procurement",
                                         "procurement-worker", "incubation", "incubation-worker")), comp
        https = any(set(np_values["https"]["ports"]) & {p["port"] for p in r["ports"]}
                    and any("ipBlock" in peer for peer in r["to"]) for r in egress)
        assert https == (np_values["https"]["enabled"] and comp in ("gateway", "gateway-delivery")), comp


def test_networkpolicies_can_be_disabled(chart):
    docs = [d for name, text in chart.render({"networkPolicy": {"enabled": False}}, name=RELEASE,
                                             namespace=NAMESPACE).items()
            if name.endswith(".yaml") for d in yaml.safe_load_all(text) if d]
    assert not of_kind(docs, "NetworkPolicy")


# ----------------------------------------------------------------------------- the admin init hook

def test_admin_init_is_a_pre_install_and_pre_upgrade_hook(rendered):
    _which, _values, docs = rendered
    (job,) = of_kind(docs, "Job")
    hook = job["metadata"]["annotations"]
    assert set(hook["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    job_weight = int(hook["helm.sh/hook-weight"])
    # what the Job needs exists before it: hooks with a lower weight, never regular objects
    spec = job["spec"]["template"]["spec"]
    assert spec["restartPolicy"] == "Never"
    for kind in ("ServiceAccount", "NetworkPolicy"):
        (needed,) = [o for o in of_kind(docs, kind) if o["metadata"]["name"] == job["metadata"]["name"]]
        ann = needed["metadata"]["annotations"]
        assert ann["helm.sh/hook"] == hook["helm.sh/hook"] and int(ann["helm.sh/hook-weight"]) < job_weight
    (c,) = spec["containers"]
    assert "envFrom" not in c, "a pre-install hook cannot read the release's ConfigMap (not created yet)"
    env = env_of(c)
    (common,) = [cm["data"] for cm in of_kind(docs, "ConfigMap") if cm["metadata"]["name"].endswith("-common")]
    assert {k: v["value"] for k, v in env.items() if "value" in v} == common
    assert "secretKeyRef" in env["MONGO_URI"]["valueFrom"]


# ----------------------------------------------------------------------------- the values schema

BAD_VALUES = {
    "replicas is a string": {"registry": {"api": {"replicas": "two"}}},
    "unknown protocol": {"kafka": {"securityProtocol": "SASL"}},
    "misspelt top-level key": {"ingres": {"enabled": True}},
    "misspelt workload key": {"gateway": {"api": {"replica": 3}}},
    "partitions below 1": {"kafka": {"topics": {"partitions": 0}}},
    "empty secret name": {"procurement": {"mongo": {"uriSecret": {"existingSecret": ""}}}},
    "resources without requests": {"incubation": {"worker": {"resources": {"requests": None}}}},
    "log level": {"logging": {"level": "verbose"}},
    "bad bootstrap servers": {"kafka": {"bootstrapServers": "kafka.example.com"}},
    "two delivery workers": {"gateway": {"delivery": {"replicas": 2}}},
    "unknown JWT algorithm": {"gateway": {"auth": {"jwtAlgorithm": "HS256"}}},
    "HTTPS egress to anywhere (empty cidrs)": {"networkPolicy": {"https": {"cidrs": []}}},
    "Kafka egress rule that renders to nothing": {"networkPolicy": {"kafka": {"cidrs": [], "extraPeers": []}}},
    "MongoDB egress rule that renders to nothing": {"networkPolicy": {"mongo": {"cidrs": [], "extraPeers": []}}},
    "an empty Kafka peer": {"networkPolicy": {"kafka": {"cidrs": [], "extraPeers": [{}]}}},
    "no DNS server at all": {"networkPolicy": {"dns": {"namespaceSelector": None, "cidrs": []}}},
    "DNS cidr is not a CIDR": {"networkPolicy": {"dns": {"cidrs": ["169.254.20.10"]}}},
    "root UID": {"securityContext": {"runAsUser": 0}},
    "UID as a string": {"securityContext": {"runAsUser": "10001"}},
    "unknown securityContext key": {"securityContext": {"privileged": True}},
    "scrape interval without unit": {"metrics": {"monitors": {"interval": "30"}}},
    "5xx ratio above 1": {"metrics": {"rules": {"http5xxRatio": 5}}},
    "the development clock": {"registry": {"worker": {"extraEnv": [{"name": "DEV_CLOCK_FILE", "value": "/tmp/c"}]}}},
}
GOOD_VALUES = {
    "HTTPS egress off with no cidrs": {"networkPolicy": {"https": {"enabled": False, "cidrs": []}}},
    "Kafka by peer only": {"networkPolicy": {"kafka": {"cidrs": [], "extraPeers": [
        {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kafka"}}}]}}},
    "DNS by address only": {"networkPolicy": {"dns": {"namespaceSelector": None, "cidrs": ["169.254.20.10/32"]}}},
    "IDs left to the platform": {"securityContext": {"runAsUser": None, "runAsGroup": None, "fsGroup": None}},
    "monitoring on": {"metrics": {"monitors": {"enabled": True}, "rules": {"enabled": True}}},
    "another extra variable": {"registry": {"worker": {"extraEnv": [{"name": "DEV_CLOCK", "value": "x"}]}}},
}


@pytest.fixture(scope="module")
def values_schema() -> dict:
    schema = json.loads((CHART / "values.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return schema


@pytest.fixture(scope="module")
def default_values() -> dict:
    return yaml.safe_load((CHART / "values.yaml").read_text())


@pytest.mark.parametrize("which", list(VALUES_FILES))
def test_values_files_satisfy_the_schema(which, values_schema, default_values, chart):
    merged = coalesce(default_values, load_values(which))
    errors = [e.message for e in jsonschema.Draft7Validator(values_schema).iter_errors(merged)]
    assert not errors, errors
    chart.validate_schema(load_values(which))  # and Helm agrees


@pytest.mark.parametrize("bad", list(BAD_VALUES))
def test_values_with_a_wrong_type_are_rejected(bad, values_schema, default_values, chart):
    overrides = BAD_VALUES[bad]
    # 1. jsonschema directly, on the values as Helm merges them
    merged = coalesce(default_values, overrides)
    assert list(jsonschema.Draft7Validator(values_schema).iter_errors(merged)), f"schema accepted: {bad}"
    # 2. Helm itself: schema validation, install-time rendering and lint
    with pytest.raises(helm.HelmValuesError):
        chart.validate_schema(overrides)
    with pytest.raises(helm.HelmError):
        chart.render(overrides, name=RELEASE, namespace=NAMESPACE, is_install=True)
    report = helm.lint(CHART, overrides)
    assert report["errors"], f"lint accepted: {bad}"


@pytest.mark.parametrize("good", list(GOOD_VALUES))
def test_values_near_the_refused_ones_are_accepted(good, values_schema, default_values, chart):
    merged = coalesce(default_values, GOOD_VALUES[good])
    assert not [e.message for e in jsonschema.Draft7Validator(values_schema).iter_errors(merged)]
    chart.validate_schema(GOOD_VALUES[good])
    assert chart.render(GOOD_VALUES[good], name=RELEASE, namespace=NAMESPACE, is_install=True)


def test_schema_errors_name_the_key(chart):
    with pytest.raises(helm.HelmValuesError, match=r"/registry/api/replicas"):
        chart.validate_schema({"registry": {"api": {"replicas": "two"}}})


def test_autoscaling_bounds_are_checked(chart):
    with pytest.raises(helm.HelmRenderError, match="minReplicas"):
        chart.render({"registry": {"api": {"autoscaling": {"minReplicas": 9, "maxReplicas": 3}}}},
                     name=RELEASE, namespace=NAMESPACE)


def test_plaintext_kafka_has_no_sasl_or_ca(chart):
    values = {"kafka": {"securityProtocol": "PLAINTEXT", "tls": {"caSecret": {"existingSecret": "ca"}}}}
    docs = [d for name, text in chart.render(values, name=RELEASE, namespace=NAMESPACE).items()
            if name.endswith(".yaml") for d in yaml.safe_load_all(text) if d]
    for _obj, spec in pod_specs(docs):
        assert "KAFKA_SASL_PASSWORD" not in env_of(spec["containers"][0])
        assert "kafka-ca" not in {v["name"] for v in spec["volumes"]}
    (common,) = [cm["data"] for cm in of_kind(docs, "ConfigMap") if cm["metadata"]["name"].endswith("-common")]
    assert "KAFKA_SSL_CAFILE" not in common and "KAFKA_SASL_USERNAME" not in common


# ----------------------------------------------------------------------------- docs and image

def test_readme_documents_every_top_level_value(default_values):
    readme = (CHART / "README.md").read_text()
    for key in default_values:
        assert f"`{key}" in readme, f"values.yaml key {key!r} is not in README.md"


def test_dockerfile_builds_one_restricted_image():
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+(\S+)(?:\s+AS\s+(\w+))?", text, re.M)
    assert len(stages) == 2 and stages[0][1] == "builder"
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.13-slim$", text, re.M)
    final = text.split("\nFROM ", 2)[2]
    assert re.search(r"^USER 10001:10001$", final, re.M)
    assert "COPY --from=builder /opt/venv /opt/venv" in final and "COPY services/" in final
    assert "PYTHONPATH=/app:/app/gen" in final
    assert not re.search(r"apt-get|gcc|build-essential|grpc_tools", final), "no build tools in the final stage"
    assert "grpc_tools.protoc -I proto --python_out=gen --grpc_python_out=gen --pyi_out=gen" in text
    ignore = (ROOT / ".dockerignore").read_text().split()
    assert ignore[ignore.index("*") + 1].startswith("!"), ".dockerignore is an allow-list"
