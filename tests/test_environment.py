"""One environment: the lock, environment.yml, pyproject.toml and the notebooks' kernel agree."""

from __future__ import annotations

import json
import sys
import tomllib

from analysis import paths
from analysis.environment import ENVIRONMENT, LOCK, environment_pins, lock_pins, normalise, render_environment

REQUIRED = {"jupyterlab", "pandas", "seaborn", "scipy", "papermill", "nbval", "ipykernel", "pytest",
            "statsmodels", "pycountry", "pandera", "frictionless"}


def test_environment_yml_pins_exactly_the_lock():
    python, env = environment_pins(ENVIRONMENT.read_text(encoding="utf-8"))
    lock = lock_pins(LOCK.read_text(encoding="utf-8"))
    assert python == "3.11"
    assert env == lock, {k: (env.get(k), lock.get(k)) for k in set(env) | set(lock) if env.get(k) != lock.get(k)}


def test_environment_yml_is_generated_from_the_lock():
    assert ENVIRONMENT.read_text(encoding="utf-8") == render_environment(LOCK.read_text(encoding="utf-8"))


def test_drift_is_detected():
    lock_text = LOCK.read_text(encoding="utf-8")
    drifted = render_environment(lock_text).replace("pandas==", "pandas==0.0.0+")
    assert environment_pins(drifted)[1] != lock_pins(lock_text)


def test_lock_holds_every_required_package_pinned_and_hashed():
    text = LOCK.read_text(encoding="utf-8")
    assert REQUIRED <= set(lock_pins(text))
    assert text.count("--hash=sha256:") >= len(lock_pins(text))


def test_direct_dependencies_are_in_the_lock():
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lock = lock_pins(LOCK.read_text(encoding="utf-8"))
    assert {normalise(d) for d in project["dependencies"]} <= set(lock)
    direct = {normalise(line.split("#")[0].strip()) for line in
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
