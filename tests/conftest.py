"""Shared fixtures, the test layers, and the order in which ``make test`` hands test files to its
two workers.

The layers are folders, each with its marker (given here from the path): ``tests/unit`` (fast,
tiny inline data, no kernels: ``make test-fast``), ``tests/data`` (the processed data and the
committed outputs), ``tests/integration`` (notebook runs, nbval on a copy of the tree, interruption,
other CPUs, next year, JupyterLab). ``pytest -m "not integration"`` runs the first two.
"""

from __future__ import annotations

import os

os.environ.setdefault("MPLBACKEND", "Agg")  # before any test module imports pyplot: no display here

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import analysis.fastimport  # noqa: E402, F401  before nbformat: skips a slow optional import
from analysis import paths

from support import DataCopy

#: Test files that take far longer than the rest, longest first.  ``make test`` runs pytest-xdist
#: with ``--dist loadfile --no-loadscope-reorder``, which hands out whole files in collection
#: order; starting these first lets the other worker run everything else meanwhile, instead of
#: one worker running the longest file alone at the end.
LONG_RUNNING_FIRST = ("tests/integration/test_interruption.py", "tests/integration/test_nbval.py",
                      "tests/integration/test_next_year.py", "tests/integration/test_warm_kernels.py",
                      "tests/data/test_stats_summary.py")
LAYERS = ("unit", "data", "integration")


def pytest_collection_modifyitems(config, items):
    """Mark each test with its layer; move the long-running test files to the front, keeping every
    other file's order."""
    for item in items:
        layer = Path(str(item.fspath)).parent.name
        if layer in LAYERS:
            item.add_marker(getattr(pytest.mark, layer))

    def rank(item) -> int:
        file = item.nodeid.split("::")[0]
        return LONG_RUNNING_FIRST.index(file) if file in LONG_RUNNING_FIRST else len(LONG_RUNNING_FIRST)
    items.sort(key=rank)  # stable: tests inside a file keep their order


@pytest.fixture
def tiny_notebook() -> Callable[[Path, str], Path]:
    """Writes a two-cell notebook on the project kernel: a parameters cell (``x = 1``), then
    ``source``."""

    def write(path: Path, source: str) -> Path:
        import nbformat
        from nbformat.v4 import new_code_cell, new_notebook

        nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}), new_code_cell(source)])
        nb.metadata["kernelspec"] = {"name": paths.KERNEL_NAME, "display_name": paths.KERNEL_DISPLAY_NAME,
                                     "language": "python"}
        nbformat.write(nb, path)
        return path

    return write


@pytest.fixture
def data_copy(tmp_path: Path) -> DataCopy:
    root = tmp_path / "data"
    shutil.copytree(paths.DATA, root)
    return DataCopy(root)
