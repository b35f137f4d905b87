"""Docs that run (issue 13 item 6): every shell example fenced `bash` in README.md and docs/*.md
is run against a real `make run`, in order, one shell per file, twice in a row (names are
unique, queries url-encoded, headers present). Blocks fenced `sh` need a Kubernetes cluster or
a container engine (the deployment guide) and are not run here; no other shell fence is allowed.

The only change made to the text: the usual `make run` addresses (127.0.0.1:8000, :50051–3)
become this instance's ports. curl runs with --fail-with-body (a .curlrc in CURL_HOME), so an
example that gets an HTTP error fails the test instead of printing a problem."""

import re
import subprocess
from pathlib import Path

import pytest

from tests.support import makerun

ROOT = makerun.ROOT
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```", re.S | re.M)
USUAL = {"http": 8000, "grpc-registry": 50051, "grpc-procurement": 50052, "grpc-incubation": 50053}


def blocks(path: Path, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(path.read_text()) if lang == language]


def script(path: Path, instance: makerun.Instance) -> str:
    text = "\n".join(blocks(path, "bash"))
    for name, usual in USUAL.items():
        text = text.replace(f"127.0.0.1:{usual}", f"127.0.0.1:{instance.ports[name]}")
    return text


def test_every_shell_fence_is_bash_or_sh():
    for path in DOCS:
        odd = [lang for lang, _ in FENCE.findall(path.read_text()) if lang in ("shell", "console", "zsh", "")]
        assert not odd, f"{path.name}: shell examples are fenced bash (runs after make run) or sh (cluster)"


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    with makerun.running(tmp_path_factory.mktemp("docs") / "data") as running:
        yield running


@pytest.mark.parametrize("doc", [p for p in DOCS if blocks(p, "bash")], ids=lambda p: p.name)
def test_the_examples_run_twice_when_pasted(doc, instance, tmp_path):
    (tmp_path / ".curlrc").write_text("fail-with-body\nshow-error\n")
    env = {"PATH": f"{ROOT / '.venv' / 'bin'}:/usr/local/bin:/usr/bin:/bin", "HOME": str(tmp_path),
           "CURL_HOME": str(tmp_path), "DEV_DATA_DIR": str(instance.data), "LANG": "C.UTF-8",
           **{f"{s.upper()}_ADDR": f"127.0.0.1:{instance.ports[f'grpc-{s}']}"
              for s in ("registry", "procurement", "incubation")}}
    (tmp_path / "example.sh").write_text(script(doc, instance))
    for run in (1, 2):
        done = subprocess.run(["bash", "-e", "-o", "pipefail", str(tmp_path / "example.sh")], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{doc.name}, run {run}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
