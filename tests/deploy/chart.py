"""Rendering the chart (or a mutated copy of it) for the chart tests, and small selectors."""

import shutil
from pathlib import Path

import helm_python as helm
import yaml

ROOT = Path(__file__).resolve().parents[2]
CHART = ROOT / "deploy" / "k8s" / "bth-platform"
PRODUCTION = CHART / "values-production.example.yaml"
RELEASE, NAMESPACE = "bth", "bth-platform"
FULLNAME = f"{RELEASE}-bth-platform"


def production_values() -> dict:
    return yaml.safe_load(PRODUCTION.read_text())


def render(values: dict | None = None, chart_dir: Path = CHART) -> list[dict]:
    """The objects `helm template` renders (install), in file order."""
    loaded = helm.Chart.load(chart_dir)
    try:
        files = loaded.render(values, name=RELEASE, namespace=NAMESPACE, is_install=True)
    finally:
        loaded.close()
    return [d for name, text in sorted(files.items()) if name.endswith(".yaml") for d in yaml.safe_load_all(text) if d]


def merged_values(values: dict | None = None, chart_dir: Path = CHART) -> dict:
    loaded = helm.Chart.load(chart_dir)
    try:
        return loaded.merge_values(values)
    finally:
        loaded.close()


def mutated_chart(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """A copy of the chart with text edits {relative path: (old, new)}; each `old` must occur."""
    copy = tmp_path / "bth-platform"
    shutil.copytree(CHART, copy)
    for rel, (old, new) in edits.items():
        path = copy / rel
        text = path.read_text()
        assert old in text, f"mutation does not apply: {old!r} not in {rel}"
        path.write_text(text.replace(old, new))
    return copy


def of_kind(docs: list[dict], kind: str) -> list[dict]:
    return [d for d in docs if d["kind"] == kind]


def component(obj: dict) -> str:
    return obj["metadata"]["labels"]["app.kubernetes.io/component"]


def selects(selector: dict, labels: dict) -> bool:
    """Does a Kubernetes LabelSelector select an object with these labels?"""
    if any(labels.get(k) != v for k, v in (selector.get("matchLabels") or {}).items()):
        return False
    for expr in selector.get("matchExpressions") or []:
        key, op, vals = expr["key"], expr["operator"], expr.get("values") or []
        ok = {"In": key in labels and labels[key] in vals,
              "NotIn": key not in labels or labels[key] not in vals,
              "Exists": key in labels,
              "DoesNotExist": key not in labels}[op]
        if not ok:
            return False
    return True
