"""nbval: every notebook, re-executed, shows the outputs it has stored. On a copy of the tree, so
that the notebooks' writes (run by hand, as nbval runs them, a notebook writes its outputs when it
finishes) never touch the working tree; the copy's ``git status`` afterwards also says that
re-executing changed no output.

This run is also the check that outputs do not depend on NumPy's SIMD paths: NumPy runs with its
optional SIMD features switched off (``NPY_DISABLE_CPU_FEATURES``: those of NumPy's dispatch
targets this CPU has, e.g. AVX2 and AVX-512), and every output must still be byte-identical to
the stored one. (``test_a_users_copy.py`` does the same for another OpenBLAS kernel.)
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import copy_env, copy_worktree, git


def available_dispatch_targets() -> list[str]:
    """NumPy's optional SIMD targets that this CPU supports (the ones that can be switched off)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return copy_worktree(tmp_path_factory.mktemp("nbval") / "repo")


def test_every_notebook_shows_its_stored_outputs_and_writes_the_stored_bytes(repo):
    targets = available_dispatch_targets()
    env = copy_env(repo, **({"NPY_DISABLE_CPU_FEATURES": " ".join(targets)} if targets else {}), MPLBACKEND="Agg")
    if targets:  # the switch takes effect (NumPy refuses unknown names)
        check = ("from numpy._core._multiarray_umath import __cpu_features__ as f; import sys; "
                 f"sys.exit(any(f[n] for n in {targets!r}))")
        assert subprocess.run([sys.executable, "-c", check], env=env).returncode == 0
    notebooks = sorted(p.relative_to(repo).as_posix() for p in (repo / "notebooks").glob("*.ipynb"))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--nbval", *notebooks,
         "--nbval-sanitize-with", "tests/nbval_sanitize.cfg", "-n", "2", "--dist", "loadfile", "-o", "addopts=",
         "-W", "ignore"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=1200)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-3000:]
    assert git(repo, "status", "--porcelain") == "", f"re-executing a notebook under {env.get('NPY_DISABLE_CPU_FEATURES')} changed an output"
