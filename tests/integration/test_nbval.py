"""nbval: every notebook, re-executed, shows the outputs it has stored. On a copy of the tree, so
that the notebooks' writes (they write their outputs when run) never touch the working tree; the
copy's ``git status`` afterwards also says that re-executing changed no output."""

from __future__ import annotations

import subprocess
import sys

import pytest

from analysis import paths

from support import copy_env, copy_worktree, git


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return copy_worktree(tmp_path_factory.mktemp("nbval") / "repo")


def test_every_notebook_shows_its_stored_outputs_and_writes_the_stored_bytes(repo):
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval", "notebooks",
         "--nbval-kernel-name", paths.KERNEL_NAME, "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
         "-n", "2", "--dist", "loadfile", "-o", "addopts=", "-W", "ignore"],
        cwd=repo, env=copy_env(repo), capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert git(repo, "status", "--porcelain") == "", "re-executing a notebook changed an output"
