"""Shared fixtures: a private copy of data/ to break, and helpers to break it; and the order in
which ``make test`` hands test files to its two workers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from analysis import paths
from analysis.datapackage import rehash

#: Test files that take far longer than the rest, longest first.  ``make test`` runs pytest-xdist
#: with ``--dist loadfile --no-loadscope-reorder``, which hands out whole files in collection
#: order; starting these first lets the other worker run everything else meanwhile, instead of
#: one worker running the longest file alone at the end (measured: ~95 s against ~70 s).
LONG_RUNNING_FIRST = ("tests/test_interruption.py", "tests/test_cpu_paths.py", "tests/test_next_year.py",
                      "tests/test_stats_summary.py", "notebooks/41_teacher_shortage.ipynb",
                      "notebooks/42_trends.ipynb", "notebooks/40_regional_disparity.ipynb")


def pytest_collection_modifyitems(config, items):
    """Move the long-running test files to the front, keeping every other file's order."""
    def rank(item) -> int:
        file = item.nodeid.split("::")[0]
        return LONG_RUNNING_FIRST.index(file) if file in LONG_RUNNING_FIRST else len(LONG_RUNNING_FIRST)
    items.sort(key=rank)  # stable: tests inside a file keep their order (nbval cells must)


#: The project's virtual environment (the one running the tests).
VENV = Path(sys.executable).parent.parent


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def copy_worktree(copy: Path) -> Path:
    """A copy of the working tree (tracked and untracked, not ignored files) at ``copy``, as its
    own git repository with one commit, so that ``git status`` there shows what a run changed."""
    files = git(paths.PROJECT_ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for name in filter(None, files):
        source = paths.PROJECT_ROOT / name
        if source.exists():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "baseline")
    return copy


def copy_env(copy: Path, **extra: str) -> dict[str, str]:
    """Environment for running the project inside ``copy`` with this project's .venv: the copy's
    ``src`` first on ``PYTHONPATH``, so that every path resolves inside the copy."""
    return {**os.environ, "PYTHONPATH": str(copy / "src"), **extra}


class DataCopy:
    """A copy of ``data/`` (raw, processed, datapackage.json) under a temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.raw = root / "raw"
        self.processed = root / "processed"
        self.package = root / "datapackage.json"

    def edit(self, name: str, change: Callable[[str], str], *, record_hash: bool = True) -> Path:
        """Change raw file ``name`` as text; record its new hash unless told not to (so that
        the check under test, not the hash check, is the one that fires)."""
        path = self.raw / name
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
        if record_hash:
            rehash(self.package)
        return path

    def write_bytes(self, name: str, data: bytes) -> Path:
        path = self.raw / name
        path.write_bytes(data)
        rehash(self.package)
        return path

    def processed_state(self) -> dict[str, tuple[bytes, int]]:
        """Bytes and modification time of every processed file."""
        return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(self.processed.iterdir())}


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
