"""Item "watched": the chart's optional prometheus-operator objects. Every process is scraped
exactly once (ServiceMonitor through the API's ClusterIP Service, PodMonitor for workers
and the delivery process); the objects validate against the operator's CRD schemas; the
PrometheusRule's expressions parse as PromQL, stay in the release and use only metrics the
code defines (or names the code is still to add, listed below); the README lists each alert."""

import copy
import re

import promql_parser
import pytest

from tests.deploy import crd_schemas
from tests.deploy.chart import CHART, FULLNAME, NAMESPACE, ROOT, component, of_kind, production_values, render, selects

ON = {"metrics": {"monitors": {"enabled": True, "labels": {"release": "prom"}},
                  "rules": {"enabled": True, "labels": {"role": "alerts"}}}}
ALERTS = {"BthProcessDown", "BthWorkerHeartbeatStale", "BthOutboxRecordsPending", "BthOutboxPublishFailing",
          "BthDeadLetterTopicGrowing", "BthConsumerLagHigh", "BthWebhookDeliveriesFailing",
          "BthGatewayHttp5xxRateHigh", "BthTimerRoundsFailing"}
# Metrics the alerts need that the code does not define yet (services/common, gateway):
PENDING_METRICS = {
    "bth_worker_heartbeat_age_seconds",       # gauge: seconds since the worker loop last beat
    "bth_outbox_oldest_pending_age_seconds",  # gauge: age of the oldest pending outbox record
    "bth_consumer_lag",                       # gauge {group, topic, partition}: records behind
    "bth_webhook_deliveries_failed_total",    # counter: failed webhook delivery attempts
    "bth_http_requests_total",                # counter {method, route, status}: gateway responses
}
BUILTIN = {"up"}


def code_metrics() -> dict[str, str]:
    """name -> type of every prometheus_client metric the services define."""
    found = {}
    for path in (ROOT / "services").rglob("*.py"):
        for kind, name in re.findall(r"\b(Counter|Gauge|Histogram|Summary)\(\s*[\"'](bth_\w+)[\"']", path.read_text()):
            found[name] = kind
    return found


def exposed_names(metrics: dict[str, str]) -> set[str]:
    names = set()
    for name, kind in metrics.items():
        names |= {name, f"{name}_count", f"{name}_sum"} | ({f"{name}_bucket"} if kind == "Histogram" else set())
    return names


def selectors(expr: str) -> list:
    found = []
    promql_parser.walk(promql_parser.parse(expr),
                       lambda node: found.append(node) if isinstance(node, promql_parser.VectorSelector) else None)
    return found


@pytest.fixture(scope="module", params=["default+on", "production"])
def docs(request):
    return render(ON if request.param == "default+on" else production_values())


def test_monitoring_is_off_by_default():
    assert not [d for d in render() if d["apiVersion"].startswith("monitoring.coreos.com/")]


def test_monitoring_objects_match_their_crd_schemas(docs):
    custom = [d for d in docs if d["apiVersion"].startswith("monitoring.coreos.com/")]
    assert {d["kind"] for d in custom} == {"ServiceMonitor", "PodMonitor", "PrometheusRule"}
    failures = [f"{d['kind']}/{d['metadata']['name']}: {e}" for d in custom for e in crd_schemas.errors(d)]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("breakage", ["wrong type", "unknown spec field", "rule without expr"])
def test_crd_schemas_are_strict(breakage):
    docs = render(ON)
    monitor, rule = copy.deepcopy(of_kind(docs, "ServiceMonitor")[0]), copy.deepcopy(of_kind(docs, "PrometheusRule")[0])
    if breakage == "wrong type":
        monitor["spec"]["endpoints"][0]["interval"] = 30
        broken, where = monitor, "spec.endpoints.0.interval"
    elif breakage == "unknown spec field":
        monitor["spec"]["endpoint"] = monitor["spec"].pop("endpoints")
        broken, where = monitor, "spec"
    else:
        del rule["spec"]["groups"][0]["rules"][0]["expr"]
        broken, where = rule, "spec.groups.0.rules.0"
    assert [e for e in crd_schemas.errors(broken) if e.startswith(where + ":")], crd_schemas.errors(broken)


def test_every_process_is_scraped_exactly_once(docs):
    services = of_kind(docs, "Service")
    monitors, pod_monitors = of_kind(docs, "ServiceMonitor"), of_kind(docs, "PodMonitor")
    for d in of_kind(docs, "Deployment"):
        labels = d["spec"]["template"]["metadata"]["labels"]
        (container,) = d["spec"]["template"]["spec"]["containers"]
        ports = {p["name"]: p["containerPort"] for p in container["ports"]}
        scrapes = []
        for m in monitors:
            assert m["spec"]["namespaceSelector"] == {"matchNames": [NAMESPACE]}
            for svc in services:
                if not selects(m["spec"]["selector"], svc["metadata"]["labels"]):
                    continue
                if not selects({"matchLabels": svc["spec"]["selector"]}, labels):
                    continue
                svc_ports = {p["name"]: p["targetPort"] for p in svc["spec"]["ports"]}
                scrapes += [(m["metadata"]["name"], svc["metadata"]["name"]) for e in m["spec"]["endpoints"]
                            if e["port"] in svc_ports and svc_ports[e["port"]] == "metrics"]
        for m in pod_monitors:
            if selects(m["spec"]["selector"], labels):
                scrapes += [(m["metadata"]["name"], "pod") for e in m["spec"]["podMetricsEndpoints"]
                            if e["port"] in ports]
        assert len(scrapes) == 1, f"{component(d)}: scraped {scrapes}"
    for m in monitors + pod_monitors:
        for e in m["spec"].get("endpoints", []) + m["spec"].get("podMetricsEndpoints", []):
            assert (e["port"], e["path"], e["scheme"]) == ("metrics", "/metrics", "http"), m["metadata"]["name"]


def test_monitors_and_rules_carry_the_selection_labels():
    docs = render(ON)
    assert all(m["metadata"]["labels"]["release"] == "prom" for m in of_kind(docs, "ServiceMonitor") +
               of_kind(docs, "PodMonitor"))
    assert of_kind(docs, "PrometheusRule")[0]["metadata"]["labels"]["role"] == "alerts"


def test_alerts_use_real_metrics_stay_in_the_release_and_are_documented(docs):
    (rule,) = of_kind(docs, "PrometheusRule")
    rules = [r for g in rule["spec"]["groups"] for r in g["rules"]]
    assert {r["alert"] for r in rules} == ALERTS
    defined = code_metrics()
    known = exposed_names(defined) | exposed_names(dict.fromkeys(PENDING_METRICS, "Gauge")) | BUILTIN
    readme = (CHART / "README.md").read_text()
    for r in rules:
        name = r["alert"]
        assert r["labels"]["severity"] in ("warning", "critical"), name
        assert r["annotations"]["summary"] and r["annotations"]["description"], name
        found = selectors(r["expr"])  # raises on a PromQL syntax error
        assert found, name
        for vs in found:
            assert vs.name in known, f"{name}: {vs.name} is neither defined in services/ nor in PENDING_METRICS"
            matchers = {m.name: m.value for m in vs.matchers.matchers}
            assert matchers.get("namespace") == NAMESPACE and matchers.get("pod") == f"{FULLNAME}-.+", name
        assert f"| `{name}` |" in readme, f"{name} is not in the chart README's alert table"
    assert all(f"`{m}`" in readme for m in PENDING_METRICS), "README names every metric the alerts use"


def test_alert_thresholds_come_from_values():
    values = copy.deepcopy(ON)
    values["metrics"]["rules"] |= {"outboxPendingMinutes": 7, "consumerLagMinutes": 3, "http5xxRatio": 0.2}
    (rule,) = of_kind(render(values), "PrometheusRule")
    by_name = {r["alert"]: r for g in rule["spec"]["groups"] for r in g["rules"]}
    assert by_name["BthOutboxRecordsPending"]["expr"].endswith("> 420")
    assert by_name["BthConsumerLagHigh"]["for"] == "3m"
    assert by_name["BthGatewayHttp5xxRateHigh"]["expr"].endswith("> 0.2")
