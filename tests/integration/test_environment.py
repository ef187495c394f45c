"""One environment: pyproject.toml, the two locks and environment.yml agree, the lock installs on
every platform and supported Python, and .venv is what the lock says, compiled to bytecode."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from analysis import paths
from analysis.lockfile import LOCK
from tools.lock import ENVIRONMENT, PLATFORMS, environment_pins, lock_pins, lock_requirements, render_environment

TEST_LOCK = paths.PROJECT_ROOT / "requirements-test.lock"
PROJECT = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: The Pythons the project supports (pyproject.toml's requires-python, the Makefile's SUPPORTED).
PYTHONS = ("3.11", "3.12", "3.13")
#: What the dry runs say when the index cannot be reached at all.
UNREACHABLE = ("Failed to fetch", "dns error", "connect", "network was disabled", "timed out")
#: A package with wheels for each platform only (no pure-Python wheel): the probe of whether the
#: index serves that platform at all.
PROBE = "numpy"


def name(requirement: str) -> str:
    import re

    return re.split(r"[<>=!~; \[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_is_generated_from_the_lock():
    assert ENVIRONMENT.read_text(encoding="utf-8") == render_environment(LOCK.read_text(encoding="utf-8"))
    python, env = environment_pins(ENVIRONMENT.read_text(encoding="utf-8"))
    assert python == ">=3.11,<3.14" and sorted(env) == sorted(lock_requirements(LOCK.read_text(encoding="utf-8")))


def test_the_lock_holds_what_the_analysis_needs_and_the_test_lock_adds_only_test_tools():
    runtime, test = lock_pins(LOCK.read_text(encoding="utf-8")), lock_pins(TEST_LOCK.read_text(encoding="utf-8"))
    needs = {name(d) for d in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["setup"]}
    assert needs <= set(runtime), needs - set(runtime)
    assert {"jupyterlab", "pandas", "seaborn", "scipy", "papermill", "nbval"} <= set(runtime), "the fixed design"
    assert {name(d) for d in PROJECT["optional-dependencies"]["test"]} <= set(test)
    assert not {"hypothesis", "playwright", "ruff", "frictionless", "pycountry", "pytest-xdist"} & set(runtime)
    assert {k: v for k, v in test.items() if k in runtime} == runtime, "the test lock keeps every version of the lock"
    assert LOCK.read_text(encoding="utf-8").count("--hash=sha256:") >= len(runtime)


def test_the_supported_pythons_are_declared_once_each_where_they_are_used():
    assert PROJECT["requires-python"] == ">=3.11,<3.14"
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    assert f"SUPPORTED := {' '.join(reversed(PYTHONS))}" in makefile


def test_the_lock_serves_every_platform_with_markers_where_needed():
    lock = {n: marker for n, _, marker in lock_requirements(LOCK.read_text(encoding="utf-8"))}
    assert lock["appnope"] == "sys_platform == 'darwin'", "ipykernel needs appnope on macOS"
    assert lock["pandas"] == "", "packages every platform needs carry no marker"


def _dry_run(platform: str, python: str, requirements: list[str], target: Path) -> subprocess.CompletedProcess:
    uv = Path(sys.executable).with_name("uv")
    command = [str(uv), "pip", "install", "--dry-run", "--python-platform", platform, "--python-version", python,
               *requirements, "--target", str(target)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


#: Every platform on the oldest and the newest supported Python, every Python on the first platform.
DRY_RUNS = sorted({(p, PYTHONS[0]) for p in PLATFORMS} | {(p, PYTHONS[-1]) for p in PLATFORMS}
                  | {(PLATFORMS[0], v) for v in PYTHONS})


@pytest.mark.parametrize(("platform", "python"), DRY_RUNS)
def test_the_lock_installs_on(platform, python, tmp_path):
    """A dry run of the hashed install for each platform and Python, from the machine's package
    index. Skipped, saying why, when the index cannot be reached, or when it serves no packages
    for that platform at all (a mirror with Linux wheels only): the probe, one binary package of
    the lock alone, finds none. Fails only when the index serves the platform and the lock does not
    install on it."""
    result = _dry_run(platform, python, ["--require-hashes", "-r", str(LOCK)], tmp_path / "lock")
    if result.returncode != 0:
        if any(word in result.stderr for word in UNREACHABLE):
            pytest.skip(f"the package index cannot be reached: {result.stderr.strip()[-300:]}")
        probe = _dry_run(platform, python, [f"{PROBE}=={lock_pins(LOCK.read_text(encoding='utf-8'))[PROBE]}"],
                         tmp_path / "probe")
        if probe.returncode != 0:
            pytest.skip(f"this machine's package index serves no {PROBE} wheel for {platform}, Python {python}: "
                        "it holds no packages for that platform")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Would install" in result.stderr


def test_the_venv_is_the_lock_compiled_to_bytecode():
    """.venv holds the lock's versions, and its packages are compiled to bytecode (uv
    --compile-bytecode): a kernel imports them from .pyc files even where Python may not write any
    (PYTHONDONTWRITEBYTECODE, a read-only .venv), instead of compiling pandas and scipy each time."""
    import importlib.util
    from importlib.metadata import version

    if Path(sys.prefix).resolve() != (paths.PROJECT_ROOT / ".venv").resolve():
        pytest.skip("not this project's .venv (made by make)")
    lock = lock_pins(TEST_LOCK.read_text(encoding="utf-8"))
    for package in ("pandas", "pandera", "papermill", "nbval", "numpy", "hypothesis"):
        assert version(package) == lock[package], package
    missing = [module for module in ("numpy", "pandas", "scipy.stats", "matplotlib.pyplot", "statsmodels.api",
                                     "ipykernel.kernelapp", "papermill", "nbconvert")
               if not Path(importlib.util.cache_from_source(importlib.util.find_spec(module).origin)).exists()]
    assert not missing, f"{missing} have no bytecode: run make distclean, then make venv"


def test_make_names_a_missing_python_and_how_to_get_one(tmp_path):
    """On a machine without a supported Python, make says so in one message (no traceback)."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    project = tmp_path / "project"
    project.mkdir()
    for file in ("Makefile", "requirements.lock", "pyproject.toml"):
        shutil.copy(paths.PROJECT_ROOT / file, project / file)
    done = subprocess.run(["make", "venv", "PYTHON=python2.7"], cwd=project, capture_output=True, text=True)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "needs Python 3.11, 3.12 or 3.13 (python2.7 is not one)" in done.stderr
    assert "make PYTHON=/path/to/python3.12 venv" in done.stderr
    assert not (project / ".venv").exists()
