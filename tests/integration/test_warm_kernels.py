"""Warm kernels (:mod:`analysis.pipeline.kernels`): each notebook's kernel is forked from a template
that has imported the heavy modules, yet every notebook runs in a fresh process of its own and
starts from the same state as with an ordinary kernel; outputs are byte-identical either way.

A probe notebook, run three times in a row by one batch runner (so by one template), records at
its start what it finds, then changes everything it can: it defines a name, seeds both random
generators, changes a matplotlib rcParam and the working directory. Each next run must find none
of that. One run on an ordinary kernel gives the reference. Then a real figure notebook runs with
each kind of kernel in a copy of the tree and must leave every committed output as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from analysis.pipeline import kernels

from support import copy_env, copy_worktree, git

PROBE = '''
import hashlib, json, os, random
import numpy as np, matplotlib as mpl
state = np.random.get_state()
names = sorted(k for k in globals() if not k.startswith("_") and k not in ("In", "Out", "get_ipython", "exit", "quit", "open"))
probe = {"names": names, "cwd": os.getcwd(), "pid": os.getpid(), "leaked": "leaked" in globals(),
         "rc": hashlib.sha256(repr(sorted(mpl.rcParams.items())).encode()).hexdigest(),
         "np_pos": int(state[2]), "np_gauss": int(state[3]), "np_draw": float(np.random.random()),
         "py_draw": random.random(), "seeded": float(np.random.RandomState(7).random()), "backend": mpl.get_backend(),
         "warm": "pandas" in __import__("sys").modules}
print("PROBE", json.dumps(probe))
leaked = 1
np.random.seed(1)
random.seed(1)
mpl.rcParams["lines.linewidth"] = 9
os.chdir("/")
'''
REAL = "notebooks/20_figure1_special_organisations.ipynb"

pytestmark = pytest.mark.skipif(kernels.kind() != "warm", reason="warm kernels need fork(): not on this platform")


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return copy_worktree(tmp_path_factory.mktemp("warm") / "repo")


def batch(repo: Path, kind: str, *notebooks: Path | str) -> None:
    run = subprocess.run([sys.executable, "-m", "analysis.pipeline.batch", "--jobs", "1", *map(str, notebooks)],
                         cwd=repo, env=copy_env(repo, KERNELS=kind), capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def probed(notebook: Path) -> dict:
    nb = nbformat.read(notebook, as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return json.loads(text.split("PROBE ", 1)[1].splitlines()[0])


@pytest.fixture(scope="module")
def runs(repo, tmp_path_factory):
    """Three probes and the figure notebook on warm kernels, then a probe and the figure notebook on an
    ordinary kernel; the figure notebook's committed outputs checked after each."""
    from nbformat.v4 import new_code_cell, new_notebook

    folder = tmp_path_factory.mktemp("probes")
    probes = []
    for i in range(4):
        nb = new_notebook(cells=[new_code_cell("x = 1", metadata={"tags": ["parameters"]}), new_code_cell(PROBE)])
        nb.metadata["kernelspec"] = {"name": "kz-inclusive-education", "display_name": "k", "language": "python"}
        probes.append(folder / f"{i}_probe.ipynb")
        nbformat.write(nb, probes[-1])
    status = {}
    batch(repo, "warm", *probes[:3], REAL)
    status["warm"] = git(repo, "status", "--porcelain")
    batch(repo, "plain", probes[3], REAL)
    status["plain"] = git(repo, "status", "--porcelain")
    return {"warm": [probed(p) for p in probes[:3]], "plain": probed(probes[3]), "status": status, "folder": folder}


def test_the_runner_forks_warm_kernels_and_ordinary_ones_when_asked(runs):
    assert [p["warm"] for p in runs["warm"]] == [True] * 3, "warm kernels start with pandas imported"
    assert not runs["plain"]["warm"], "an ordinary kernel starts with nothing imported"
    assert len({p["pid"] for p in [*runs["warm"], runs["plain"]]}) == 4, "every notebook has a process of its own"


def test_a_name_defined_in_one_notebook_is_undefined_in_the_next(runs):
    assert not any(p["leaked"] for p in runs["warm"])
    assert all(p["names"] == runs["plain"]["names"] for p in runs["warm"])


def test_working_directory_and_rcparams_start_the_same_in_each(runs):
    for p in [*runs["warm"], runs["plain"]]:
        assert Path(p["cwd"]) == runs["folder"], "each kernel starts in its notebook's folder"
        assert p["rc"] == runs["plain"]["rc"], "matplotlib's rcParams as in an ordinary kernel (no change leaks)"
        assert p["backend"].lower() == "agg"


def test_random_state_starts_fresh_in_each(runs):
    """As in a new process: both generators seeded from the operating system, nothing drawn yet, so
    no kernel inherits the template's state or the previous notebook's seed."""
    probes = [*runs["warm"], runs["plain"]]
    fresh = runs["plain"]["np_pos"]
    assert all(p["np_pos"] == fresh and p["np_gauss"] == 0 for p in probes), "NumPy's global generator freshly seeded"
    assert len({p["np_draw"] for p in probes}) == 4 and len({p["py_draw"] for p in probes}) == 4, \
        "each kernel draws its own numbers: no state copied from the template or a seed from the notebook before"
    assert len({p["seeded"] for p in probes}) == 1


def test_outputs_are_byte_identical_with_either_kind_of_kernel(runs):
    assert runs["status"] == {"warm": "", "plain": ""}, "a committed output changed"
