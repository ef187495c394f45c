"""Helpers the test layers share: copies of the working tree and of data/ to run or break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.ingest import clean
from analysis.ingest.datapackage import rehash
from analysis.session.outputs import OutputWriter

#: The project's virtual environment (the one running the tests).
VENV = Path(sys.executable).parent.parent


def write_processed(cleaned: clean.CleanedExtracts, processed_dir: Path, results_dir: Path) -> pd.DataFrame:
    """Write what the cleaning step produced, as notebook 00 does: the files and their sha256."""
    writer = OutputWriter("00_clean_extracts", results_dir, year=cleaned.year)
    writer.add_processed(processed_dir, cleaned.outputs, cleaned.package_path)
    return writer.finish()[["file", "sha256"]]


def clean_and_write(year: int, raw_dir: Path, processed_dir: Path, package_path: Path, results_dir: Path):
    """Clean ``year``'s extracts from ``raw_dir`` and write them into ``processed_dir``."""
    cleaned = clean.clean_extracts(year, raw_dir, package_path)
    write_processed(cleaned, processed_dir, results_dir)
    return cleaned


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
