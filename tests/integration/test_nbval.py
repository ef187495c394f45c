"""nbval: every notebook, re-executed, shows the outputs it has stored. On a copy of the tree, so
that the notebooks' writes (they write their outputs when run) never touch the working tree; the
copy's ``git status`` afterwards also says that re-executing changed no output.

nbval starts its kernels by name; a copy of the project kernelspec that asks for the warm
provisioner, first on ``JUPYTER_PATH``, gives it warm kernels (forked from a template that has
imported the heavy modules, :mod:`analysis.pipeline.kernels`) without touching the installed one.

This run is also the check that outputs do not depend on NumPy's SIMD paths (shared, not run
again; ``tests/integration/test_interruption.py`` does the same for another OpenBLAS kernel and
one thread): NumPy runs with its optional SIMD features switched off (``NPY_DISABLE_CPU_FEATURES``:
those of NumPy's dispatch targets this CPU has, e.g. AVX2 and AVX-512; baseline features cannot be
disabled), and every output must still be byte-identical to the stored one.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths
from analysis.pipeline import kernels
from analysis.pipeline.batch import longest_first, read_durations

from support import copy_env, copy_worktree, git


def available_dispatch_targets() -> list[str]:
    """NumPy's optional SIMD targets that this CPU supports (the ones that can be switched off)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return copy_worktree(tmp_path_factory.mktemp("nbval") / "repo")


def notebooks_longest_first(repo) -> list[str]:
    """The copy's notebooks in the order the batch runner starts them (the last run's durations,
    ``.make/durations.json``, then code cells), so that the two workers finish together: xdist's
    ``loadfile`` hands out whole notebooks in the order given (``--no-loadscope-reorder``)."""
    ordered = longest_first(sorted(map(str, (repo / "notebooks").glob("*.ipynb"))),
                            read_durations(paths.PROJECT_ROOT / ".make"))
    return [Path(nb).relative_to(repo).as_posix() for nb in ordered]


def test_every_notebook_shows_its_stored_outputs_and_writes_the_stored_bytes(repo, tmp_path):
    targets = available_dispatch_targets()
    variant = {"NPY_DISABLE_CPU_FEATURES": " ".join(targets)} if targets else {}
    env = copy_env(repo, **variant)
    if kernels.kind() == "warm":
        env["JUPYTER_PATH"] = str(kernels.warm_kernelspec(tmp_path / "jupyter"))
    if targets:  # the switch takes effect (NumPy refuses unknown names)
        check = ("from numpy._core._multiarray_umath import __cpu_features__ as f; import sys; "
                 f"sys.exit(any(f[n] for n in {targets!r}))")
        assert subprocess.run([sys.executable, "-c", check], env=env).returncode == 0
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "analysis.fastimport", "-q", "--nbval", *notebooks_longest_first(repo),
         "--nbval-kernel-name", paths.KERNEL_NAME, "--nbval-sanitize-with", "tests/nbval_sanitize.cfg",
         "-n", "2", "--dist", "loadfile", "--no-loadscope-reorder", "-o", "addopts=", "-W", "ignore"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert git(repo, "status", "--porcelain") == "", f"re-executing a notebook under {variant} changed an output"
