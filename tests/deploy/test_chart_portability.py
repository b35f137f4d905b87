"""Item "portable", and the chart side of client-side gRPC balancing: UID/GID overridable or
left to the platform (OpenShift), DNS egress to an address block (NodeLocal DNSCache), and
NetworkPolicies that hold when gRPC clients connect to the API pods' own addresses."""

import kubernetes_validate
import pytest

from tests.deploy.chart import FULLNAME, component, of_kind, render, selects

IDS = ("runAsUser", "runAsGroup", "fsGroup")


def pod_specs(docs):
    for d in docs:
        if d["kind"] in ("Deployment", "Job"):
            yield d["metadata"]["name"], d["spec"]["template"]["spec"]


def test_ids_can_be_overridden():
    docs = render({"securityContext": {"runAsUser": 20000, "runAsGroup": 20001, "fsGroup": 20002}})
    specs = list(pod_specs(docs))
    assert len(specs) == 9
    for name, spec in specs:
        assert {k: spec["securityContext"].get(k) for k in IDS} == \
            {"runAsUser": 20000, "runAsGroup": 20001, "fsGroup": 20002}, name
        for c in spec["containers"]:
            assert (c["securityContext"]["runAsUser"], c["securityContext"]["runAsGroup"]) == (20000, 20001), name


def test_openshift_assigns_the_ids_and_the_rest_stays_restricted():
    docs = render({"securityContext": {"runAsUser": None, "runAsGroup": None, "fsGroup": None}})
    for name, spec in pod_specs(docs):
        assert not set(IDS) & set(spec["securityContext"]), name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        for c in spec["containers"]:
            sc = c["securityContext"]
            assert not set(IDS) & set(sc), name
            assert sc["runAsNonRoot"] is True and sc["allowPrivilegeEscalation"] is False, name
            assert sc["readOnlyRootFilesystem"] is True and sc["capabilities"] == {"drop": ["ALL"]}, name
    for d in docs:
        if d["kind"] in ("Deployment", "Job"):
            kubernetes_validate.validate(d, "1.29.0", strict=True)


def dns_rules(policy: dict) -> list[dict]:
    return [r for r in policy["spec"]["egress"] if {"protocol": "UDP", "port": 53} in r["ports"]]


@pytest.mark.parametrize("keep_cluster_dns", [True, False])
def test_dns_egress_to_an_address_block(keep_cluster_dns):
    dns = {"cidrs": ["169.254.20.10/32"]} | ({} if keep_cluster_dns else {"namespaceSelector": None})
    policies = of_kind(render({"networkPolicy": {"dns": dns}}), "NetworkPolicy")
    assert len(policies) == 9  # every workload and the admin-init hook
    for policy in policies:
        (rule,) = dns_rules(policy)
        assert {"ipBlock": {"cidr": "169.254.20.10/32"}} in rule["to"], component(policy)
        assert {"protocol": "TCP", "port": 53} in rule["ports"]
        selector_peers = [p for p in rule["to"] if "namespaceSelector" in p]
        assert len(selector_peers) == (1 if keep_cluster_dns else 0), component(policy)


def test_default_dns_egress_is_the_cluster_dns_pods_only():
    for policy in of_kind(render(), "NetworkPolicy"):
        (rule,) = dns_rules(policy)
        assert rule["to"] == [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                               "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}]


def test_grpc_clients_reach_the_api_pods_directly():
    """Through the headless Service a client connects to pod addresses: every client's egress
    and every API's ingress must allow that by pod selector, on the container's gRPC port."""
    docs = render()
    pods = {component(d): d["spec"]["template"]["metadata"]["labels"] for d in of_kind(docs, "Deployment")}
    policies = {component(p): p for p in of_kind(docs, "NetworkPolicy")}
    headless = [s for s in of_kind(docs, "Service") if s["spec"].get("clusterIP") == "None"]
    assert sorted(component(s) for s in headless) == ["incubation", "procurement", "registry"]
    clients = [c for c, labels in pods.items() if labels.get("bth.io/grpc-client") == "true"]
    assert sorted(clients) == sorted(["gateway", "registry", "registry-worker", "procurement", "procurement-worker",
                                      "incubation", "incubation-worker"])
    for svc in headless:
        api = component(svc)
        (deployment,) = [d for d in of_kind(docs, "Deployment") if component(d) == api]
        (container,) = deployment["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        (svc_port,) = svc["spec"]["ports"]
        port = ports[svc_port["targetPort"]]
        assert svc["metadata"]["name"] == f"{FULLNAME}-{api}-headless" and selects(
            {"matchLabels": svc["spec"]["selector"]}, pods[api])
        for client in clients:
            egress = [r for r in policies[client]["spec"]["egress"] if {"protocol": "TCP", "port": port} in r["ports"]]
            assert any("podSelector" in peer and "ipBlock" not in peer and selects(peer["podSelector"], pods[api])
                       for r in egress for peer in r["to"]), f"{client} -> {api} pods"
            ingress = [r for r in policies[api]["spec"]["ingress"] if {"protocol": "TCP", "port": port} in r["ports"]]
            assert any("podSelector" in peer and "namespaceSelector" not in peer
                       and selects(peer["podSelector"], pods[client]) for r in ingress for peer in r["from"]), \
                f"{api} admits {client}"
