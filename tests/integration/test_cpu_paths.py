"""Outputs do not depend on the CPU: the numerical notebooks, re-run under other instruction paths,
write every output byte for byte as stored.

OpenBLAS and NumPy choose their kernels per CPU, so the last digits of a float differ between
machines; the precision policy (``analysis.precision``) writes only the digits a method supports,
so the files must not. This runs the notebooks that compute with floats in a copy of the tree,
on this machine, under

* another OpenBLAS kernel (``OPENBLAS_CORETYPE=Prescott``, the oldest x86-64 kernel) with every
  BLAS and OpenMP pool pinned to one thread (so the thread count cannot change a sum);
* NumPy with its optional SIMD paths switched off (``NPY_DISABLE_CPU_FEATURES``: those of NumPy's
  dispatch targets this CPU has, e.g. AVX2 and AVX-512; baseline features cannot be disabled),

and asserts that ``git status`` in the copy stays empty: every output byte-identical to the
stored one.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import copy_env, copy_worktree, git

#: The notebooks whose outputs come from float arithmetic (numpy, scipy, statsmodels, pandas sums).
NUMERICAL = ("00_clean_extracts", "23_map_preschool_inclusion", "24_dotplot_preschool_inclusion",
             "40_regional_disparity", "41_teacher_shortage", "42_trends")
ONE_THREAD = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


def available_dispatch_targets() -> list[str]:
    """NumPy's optional SIMD targets that this CPU supports (the ones that can be switched off)."""
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    return [name for name in __cpu_dispatch__ if __cpu_features__.get(name)]


def variants() -> list:
    out = [pytest.param({"OPENBLAS_CORETYPE": "Prescott", **ONE_THREAD}, id="openblas-prescott-one-thread")]
    targets = available_dispatch_targets()
    out.append(pytest.param({"NPY_DISABLE_CPU_FEATURES": " ".join(targets)}, id="numpy-without-simd",
                            marks=[] if targets else pytest.mark.skip(reason="this CPU has no optional NumPy SIMD targets")))
    return out


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return copy_worktree(tmp_path_factory.mktemp("cpu-paths") / "repo")


@pytest.mark.parametrize("variant", variants())
def test_numerical_notebooks_write_the_stored_bytes_under_another_instruction_path(repo, variant):
    env = copy_env(repo, **variant)
    if "NPY_DISABLE_CPU_FEATURES" in variant:  # the switch took effect (NumPy refuses unknown names)
        check = ("from numpy._core._multiarray_umath import __cpu_features__ as f; import sys; "
                 f"sys.exit(any(f[n] for n in {variant['NPY_DISABLE_CPU_FEATURES'].split()!r}))")
        assert subprocess.run([sys.executable, "-c", check], env=env).returncode == 0
    notebooks = [f"notebooks/{name}.ipynb" for name in NUMERICAL]
    run = subprocess.run([sys.executable, "-m", "analysis.pipeline.batch", "--jobs", "2", "--layer", notebooks[0],
                          "--layer", " ".join(notebooks[1:])], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    changed = git(repo, "status", "--porcelain")
    if changed:
        diff = git(repo, "diff", "--stat")
        git(repo, "checkout", "--", ".")  # the next variant starts from the stored outputs again
        pytest.fail(f"outputs differ from the stored bytes under {variant}:\n{changed}\n{diff}")
