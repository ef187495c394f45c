"""Shared fixtures and the test layers.

The layers are folders, each with its marker (given here from the path): ``tests/unit`` (fast,
tiny inline data, no notebooks run: ``make test-fast``), ``tests/data`` (the processed data and
the committed outputs), ``tests/integration`` (notebook runs: nbval on a copy of the tree, a
user's copy interrupted and resumed, the next year; the environment, JupyterLab, the browser).
``pytest -m "not integration"`` runs the first two.
"""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")  # before any test module imports pyplot: no display here

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline.run import KERNEL

from support import DataCopy

LAYERS = ("unit", "data", "integration")
#: The test files that take longest, longest first: make test hands whole files to its workers in
#: this order (pytest-xdist --dist loadfile --no-loadscope-reorder), so that no long file starts last.
LONGEST_FIRST = ("tests/integration/test_a_users_copy.py", "tests/integration/test_nbval.py",
                 "tests/integration/test_pip_install.py", "tests/integration/test_environment.py",
                 "tests/integration/test_browser.py")


def pytest_collection_modifyitems(config, items):
    """Mark each test with its layer (its folder); put the longest test files first."""
    for item in items:
        layer = Path(str(item.fspath)).parent.name
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))

    def rank(item) -> int:
        file = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(file) if file in LONGEST_FIRST else len(LONGEST_FIRST)
    items.sort(key=rank)  # stable: every other file keeps its order


@pytest.fixture
def tiny_notebook() -> Callable[[Path, str], Path]:
    """Writes a two-cell notebook: a parameters cell (``x = 1``), then ``source``."""

    def write(path: Path, source: str) -> Path:
        import nbformat
        from nbformat.v4 import new_code_cell, new_notebook

        nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}), new_code_cell(source)])
        nb.metadata["kernelspec"] = dict(KERNEL)
        nbformat.write(nb, path)
        return path

    return write


@pytest.fixture
def data_copy(tmp_path: Path) -> DataCopy:
    root = tmp_path / "data"
    shutil.copytree(paths.DATA, root)
    return DataCopy(root)
