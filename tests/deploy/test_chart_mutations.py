"""Chart checks that must catch a breakage: each check passes on the chart as it is and fails
on a copy of the chart, its values or the README with one mutation applied
(`assert_caught`). The mutations are the ones that passed every chart test before."""

import copy
import re

import pytest

from tests.deploy.chart import CHART, ROOT, merged_values, mutated_chart, of_kind, production_values, render

READMES = (ROOT / "README.md", CHART / "README.md")


def assert_caught(check, *args) -> None:
    with pytest.raises(AssertionError):
        check(*args)


def _positive(value) -> bool:
    return int(str(value).rstrip("%")) > 0


def check_rollouts_make_progress(docs: list[dict]) -> None:
    """A RollingUpdate must be able to start a pod: maxSurge and maxUnavailable both 0 would
    stall it (the API server refuses it; the OpenAPI schema does not say so)."""
    for d in of_kind(docs, "Deployment"):
        strategy = d["spec"]["strategy"]
        if strategy["type"] == "Recreate":
            continue
        rolling = strategy["rollingUpdate"]
        assert rolling["maxUnavailable"] == 0, d["metadata"]["name"]  # capacity kept during a rollout
        assert _positive(rolling["maxSurge"]), f"{d['metadata']['name']}: maxSurge 0 with maxUnavailable 0"


def check_hook_job(docs: list[dict], values: dict) -> None:
    """The admin-init hook replaces its previous Job (else the next upgrade fails with
    "already exists") and gives up at its deadline (else a stuck run blocks the release)."""
    (job,) = of_kind(docs, "Job")
    annotations = job["metadata"]["annotations"]
    assert set(annotations["helm.sh/hook"].split(",")) == {"pre-install", "pre-upgrade"}
    assert "before-hook-creation" in annotations.get("helm.sh/hook-delete-policy", "").split(","), "delete policy"
    deadline = job["spec"].get("activeDeadlineSeconds")
    assert deadline == values["adminInit"]["activeDeadlineSeconds"] and deadline > 0, "activeDeadlineSeconds"
    assert job["spec"]["backoffLimit"] == values["adminInit"]["backoffLimit"]


def check_ingress_tls(docs: list[dict]) -> None:
    """Production: every host the Ingress serves is covered by a TLS entry with a Secret."""
    (ingress,) = of_kind(docs, "Ingress")
    hosts = {r["host"] for r in ingress["spec"]["rules"]}
    covered = {h for t in ingress["spec"].get("tls", []) if t.get("secretName") for h in t.get("hosts", [])}
    assert hosts and hosts <= covered, f"hosts without TLS: {sorted(hosts - covered)}"


def seconds(duration: str) -> int:
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", duration)
    assert parts and duration, f"not a duration: {duration!r}"
    h, m, s = (int(p or 0) for p in parts.groups())
    return h * 3600 + m * 60 + s


def check_hook_deadline_within_timeout(docs: list[dict], readmes: list[str]) -> None:
    """Helm waits for a hook at most `--timeout`: the Job must give up before Helm does, or
    the install fails with a bare timeout while the Job still runs."""
    timeouts = [seconds(t) for text in readmes for t in re.findall(r"--timeout[= ](\S+)", text)]
    assert timeouts, "the README documents no helm --timeout"
    (job,) = of_kind(docs, "Job")
    assert job["spec"]["activeDeadlineSeconds"] < min(timeouts), \
        f"hook deadline {job['spec']['activeDeadlineSeconds']}s >= helm --timeout {min(timeouts)}s"


def readme_texts() -> list[str]:
    return [p.read_text() for p in READMES]


@pytest.fixture(scope="module", params=["default", "production"])
def value_set(request):
    values = production_values() if request.param == "production" else None
    return request.param, values, merged_values(values), render(values)


def test_the_checks_pass_on_the_chart(value_set):
    which, _values, merged, docs = value_set
    check_rollouts_make_progress(docs)
    check_hook_job(docs, merged)
    check_hook_deadline_within_timeout(docs, readme_texts())
    if which == "production":
        check_ingress_tls(docs)


def test_no_surge_and_no_unavailable_is_caught(tmp_path):
    chart = mutated_chart(tmp_path, {"templates/deployment.yaml": ("maxSurge: 25%", "maxSurge: 0")})
    assert_caught(check_rollouts_make_progress, render(None, chart))


@pytest.mark.parametrize("mutation", ["delete policy removed", "activeDeadlineSeconds removed"])
def test_hook_job_mutations_are_caught(tmp_path, mutation):
    job_policy = 'helm.sh/hook-weight: "0"\n    helm.sh/hook-delete-policy: before-hook-creation\n'
    edit = {"delete policy removed": (job_policy, 'helm.sh/hook-weight: "0"\n'),
            "activeDeadlineSeconds removed": ("  activeDeadlineSeconds: {{ $a.activeDeadlineSeconds }}\n", "")}
    edit = edit[mutation]
    chart = mutated_chart(tmp_path, {"templates/admin-init-job.yaml": edit})
    assert_caught(check_hook_job, render(None, chart), merged_values(None, chart))


@pytest.mark.parametrize("mutation", ["tls removed", "tls emptied", "a host without tls"])
def test_production_ingress_without_tls_is_caught(mutation):
    values = production_values()
    if mutation == "tls removed":
        del values["ingress"]["tls"]
    elif mutation == "tls emptied":
        values["ingress"]["tls"] = []
    else:
        extra = copy.deepcopy(values["ingress"]["hosts"][0]) | {"host": "www.bth.example.com"}
        values["ingress"]["hosts"].append(extra)
    assert_caught(check_ingress_tls, render(values))


def test_hook_deadline_beyond_the_documented_timeout_is_caught():
    values = production_values()
    values["adminInit"]["activeDeadlineSeconds"] = 900
    assert_caught(check_hook_deadline_within_timeout, render(values), readme_texts())
    shorter = [re.sub(r"--timeout 10m", "--timeout 5m", text) for text in readme_texts()]
    assert shorter != readme_texts()
    assert_caught(check_hook_deadline_within_timeout, render(production_values()), shorter)
