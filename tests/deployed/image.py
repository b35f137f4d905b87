"""A virtualenv with exactly the image's dependencies: pyproject's [project].dependencies
pinned by requirements.lock, installed the way deploy/Dockerfile installs them (nothing
from the dev extras: no pytest, no embedded broker). Cached outside the checkout by the
hash of both files, so a fresh clone on the same machine reuses it in seconds."""

import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("BTH_IMAGE_VENV_CACHE", Path.home() / ".cache" / "bth-platform"))


def runtime_requirements() -> list[str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]


def _key() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "requirements.lock"):
        digest.update((ROOT / name).read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def image_python() -> Path:
    """The interpreter of the image-only venv, built once per pyproject + lock."""
    venv = CACHE / f"image-venv-{_key()}"
    python = venv / "bin" / "python"
    if python.exists():
        return python
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CACHE / f".building-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(tmp)], check=True)
    reqs = tmp / "runtime-requirements.txt"
    reqs.write_text("\n".join(runtime_requirements()) + "\n")
    done = subprocess.run([tmp / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check",
                           "-r", reqs, "-c", ROOT / "requirements.lock"], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"installing the image's dependencies failed:\n{done.stdout}\n{done.stderr}")
    # only `python -m ...` is used, which works from a moved venv (console scripts would not)
    try:
        tmp.rename(venv)
    except OSError:  # another run finished first
        shutil.rmtree(tmp, ignore_errors=True)
    return python
