"""One environment: the lock, environment.yml, pyproject.toml and the notebooks' kernel agree."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline.environment import (
    ENVIRONMENT,
    LOCK,
    PLATFORMS,
    distribution_name,
    environment_pins,
    lock_pins,
    lock_requirements,
    render_environment,
)

REQUIRED = {"jupyterlab", "pandas", "seaborn", "scipy", "papermill", "nbval", "ipykernel", "pytest",
            "statsmodels", "pycountry", "pandera", "frictionless"}


def test_environment_yml_pins_exactly_the_lock():
    python, env = environment_pins(ENVIRONMENT.read_text(encoding="utf-8"))
    lock = lock_requirements(LOCK.read_text(encoding="utf-8"))
    assert python == "3.11"
    assert sorted(env) == sorted(lock), set(env) ^ set(lock)


def test_environment_yml_is_generated_from_the_lock():
    assert ENVIRONMENT.read_text(encoding="utf-8") == render_environment(LOCK.read_text(encoding="utf-8"))


def test_drift_is_detected():
    lock_text = LOCK.read_text(encoding="utf-8")
    drifted = render_environment(lock_text).replace("pandas==", "pandas==0.0.0+")
    assert sorted(environment_pins(drifted)[1]) != sorted(lock_requirements(lock_text))


def test_lock_holds_every_required_package_pinned_and_hashed():
    text = LOCK.read_text(encoding="utf-8")
    assert REQUIRED <= set(lock_pins(text))
    assert text.count("--hash=sha256:") >= len(lock_pins(text))


def test_direct_dependencies_are_in_the_lock():
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = lock_pins(LOCK.read_text(encoding="utf-8"))
    assert {distribution_name(d) for d in project["dependencies"]} <= set(lock)
    direct = {distribution_name(line.split("#")[0].strip()) for line in
              (paths.PROJECT_ROOT / "requirements.in").read_text(encoding="utf-8").splitlines() if line.split("#")[0].strip()}
    assert direct <= set(lock)


def test_running_interpreter_matches_the_lock():
    from importlib.metadata import version

    assert sys.version_info[:2] == (3, 11)
    lock = lock_pins(LOCK.read_text(encoding="utf-8"))
    for name in ("pandas", "pandera", "papermill", "nbval", "numpy"):
        assert version(name) == lock[name], name


def test_every_notebook_uses_the_project_kernel():
    for nb in sorted(paths.NOTEBOOKS.glob("*.ipynb")):
        spec = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert spec["name"] == paths.KERNEL_NAME, nb.name


def test_the_lock_serves_every_platform_with_markers_where_needed():
    lock = {name: marker for name, _, marker in lock_requirements(LOCK.read_text(encoding="utf-8"))}
    assert lock["appnope"] == "sys_platform == 'darwin'", "ipykernel needs appnope on macOS"
    assert lock["pandas"] == "", "packages every platform needs carry no marker"


def _dry_run(platform: str, offline: bool, target: Path) -> subprocess.CompletedProcess:
    uv = Path(sys.executable).with_name("uv")
    command = [str(uv), "pip", "install", "--dry-run", "--python-platform", platform, "--python-version", "3.11",
               "--require-hashes", "-r", str(LOCK), "--target", str(target)]
    return subprocess.run([*command, *(["--offline"] if offline else [])], capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_the_lock_installs_on(platform, tmp_path):
    """A dry run of the hashed install on each platform (offline from uv's cache where it holds the
    index pages, else from the index; skipped, saying so, when neither can be reached)."""
    if shutil.which(str(Path(sys.executable).with_name("uv"))) is None:
        pytest.skip("uv is not in the project environment")
    result = _dry_run(platform, offline=True, target=tmp_path / "offline")
    if result.returncode != 0 and "network was disabled" in result.stderr:
        result = _dry_run(platform, offline=False, target=tmp_path / "online")
        if result.returncode != 0 and any(word in result.stderr for word in ("Failed to fetch", "dns error", "connect")):
            pytest.skip(f"the package index cannot be reached and uv's cache lacks {platform}: {result.stderr[-300:]}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Would install" in result.stderr


def test_installed_packages_are_compiled_to_bytecode():
    """make venv compiles the installed packages (uv --compile-bytecode): a kernel imports them from
    .pyc files even where Python may not write any (PYTHONDONTWRITEBYTECODE, a read-only .venv),
    instead of compiling pandas, scipy and matplotlib from source in every new process."""
    import importlib.util

    if Path(sys.prefix).resolve() != (paths.PROJECT_ROOT / ".venv").resolve():
        pytest.skip("not this project's .venv (made by make venv)")
    missing = [name for name in ("numpy", "pandas", "scipy.stats", "matplotlib.pyplot", "statsmodels.api",
                                 "ipykernel.kernelapp", "papermill", "nbconvert")
               if not Path(importlib.util.cache_from_source(importlib.util.find_spec(name).origin)).exists()]
    assert not missing, f"{missing} have no bytecode: run make distclean, then make venv"
