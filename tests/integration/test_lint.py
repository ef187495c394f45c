"""make lint's import contracts fail on an upward import and on an import cycle, naming them: the
contracts of pyproject.toml run on a copy of the package with one such import added."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def contracts_on(tmp_path: Path, edits: dict[str, str]) -> subprocess.CompletedProcess:
    copy = tmp_path / "copy"
    shutil.copytree(paths.PROJECT_ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(paths.PROJECT_ROOT / "pyproject.toml", copy / "pyproject.toml")
    for module, line in edits.items():
        file = copy / "src" / "analysis" / module
        file.write_text(file.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=copy, env=env, capture_output=True, text=True)


@pytest.fixture(autouse=True)
def needs_import_linter():
    if not LINT_IMPORTS.exists():
        pytest.skip("import-linter is not installed (make test installs it)")


def test_the_package_keeps_its_layers(tmp_path):
    assert contracts_on(tmp_path, {}).returncode == 0


def test_an_upward_import_fails(tmp_path):
    done = contracts_on(tmp_path, {"stats/funnel.py": "from analysis.pipeline import run  # noqa"})
    assert done.returncode != 0 and "analysis.stats is not allowed to import analysis.pipeline" in done.stdout


def test_an_import_cycle_fails(tmp_path):
    done = contracts_on(tmp_path, {"stats/funnel.py": "import analysis.stats.trend  # noqa",
                                   "stats/trend.py": "import analysis.stats.funnel  # noqa"})
    assert done.returncode != 0 and "No cycles are allowed in analysis.stats" in done.stdout
