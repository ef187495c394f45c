"""Interrupting ``make reproduce`` (SIGKILL to the whole process group) never leaves an output
half-written, and the next run, with the network cut, completes with ``git status`` empty.

The kills land at points chosen from the last run's step durations (``.make/durations.json``,
recorded by the batch runner), not at fixed seconds: inside the first step, in the middle of the
second layer, and inside the last step, each estimated for the steps still to run
(:func:`analysis.pipeline.batch.schedule`). A kill that lands after the run has finished, or
after every notebook has run, fails the test: it would have interrupted nothing.

These runs also serve as the check that outputs do not depend on the CPU's instruction path
(shared rather than run again, as ``tests/integration/test_nbval.py`` does for NumPy's SIMD paths):
every run here uses another OpenBLAS kernel (``OPENBLAS_CORETYPE=Prescott``, the oldest x86-64
one) with every BLAS and OpenMP pool pinned to one thread, so that the thread count cannot change
a sum either; the completing run must still leave every committed output byte-identical. They run
on warm kernels (the default where fork is safe), as ``make reproduce`` does.

Works on a copy of the working tree (tracked and untracked, not ignored files; its own git
repository), using this project's .venv with the copy's ``src`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from analysis import paths, pipeline
from analysis.pipeline.batch import DURATIONS_FILE, schedule

from support import VENV, copy_env, copy_worktree, git

#: Another OpenBLAS kernel, one thread everywhere: outputs must not change (see the docstring).
OTHER_CPU_PATH = {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                  "MKL_NUM_THREADS": "1"}
JOBS = 2
#: Where each run is killed: (which point, the fraction of it).
KILL_POINTS = (("first step", 0.5), ("middle layer", 0.5), ("last step", 0.3))


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return copy_worktree(tmp_path_factory.mktemp("interrupt") / "repo")


def can_cut_network() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-n", "true"], capture_output=True).returncode == 0


def make(repo: Path, *args: str, offline: bool = False) -> subprocess.Popen:
    env = copy_env(repo, **OTHER_CPU_PATH)
    prefix = ["unshare", "-n"] if offline else []
    return subprocess.Popen([*prefix, "make", f"VENV={VENV}", f"JOBS={JOBS}", *args], cwd=repo, env=env,
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def changed_tracked_files(repo: Path) -> list[str]:
    return [line for line in git(repo, "status", "--porcelain").splitlines() if not line.startswith("??")]


def stale_layers(repo: Path) -> list[list[str]]:
    """The steps still to run (no stamp), in the graph's layers."""
    return [[s for s in layer if not (repo / ".make" / s).exists()] for layer in pipeline.layers()]


def kill_after(point: str, fraction: float, layers: list[list[str]], durations: dict[str, float]) -> float:
    """Seconds after the start of a run at which ``point`` of the steps still to run is reached."""
    plan = schedule(layers, durations, JOBS)
    todo = [layer for layer in layers if layer]
    if point == "first step":
        start, end = plan[todo[0][0]]
    elif point == "middle layer":
        middle = todo[len(todo) // 2]
        start, end = min(plan[s][0] for s in middle), max(plan[s][1] for s in middle)
    else:
        start, end = plan[todo[-1][-1]]
    return start + fraction * (end - start)


def recorded_durations(repo: Path) -> dict[str, float]:
    """The step durations of the last run here (``make reproduce`` records them); with none yet, one
    complete run in the copy records them first."""
    recorded = paths.PROJECT_ROOT / ".make" / DURATIONS_FILE
    if recorded.exists():
        return json.loads(recorded.read_text(encoding="utf-8"))
    assert make(repo, "reproduce").wait(timeout=900) == 0
    durations = json.loads((repo / ".make" / DURATIONS_FILE).read_text(encoding="utf-8"))
    for step in pipeline.steps():
        (repo / ".make" / step.name).unlink(missing_ok=True)
    return durations


def test_killed_runs_leave_no_half_written_output_and_the_next_run_completes(repo):
    shutil.rmtree(repo / ".make", ignore_errors=True)
    durations = recorded_durations(repo)
    for point, fraction in KILL_POINTS:  # each run starts where the killed one stopped
        before = stale_layers(repo)
        assert any(before), "every step has run already: nothing left to interrupt"
        seconds = kill_after(point, fraction, before, durations)
        proc = make(repo, "reproduce")
        time.sleep(seconds)
        assert proc.poll() is None, f"make reproduce finished within {seconds:.1f} s ({point}): nothing was interrupted"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert any(stale_layers(repo)), f"killed after {seconds:.1f} s ({point}), every notebook had already run"
        assert changed_tracked_files(repo) == [], f"killed after {seconds:.1f} s ({point}), an output differs from its committed bytes"
    # The run that completes the work is also the offline test: no network at all (where the
    # machine lets us cut it; CI's .ci/run also runs the whole analysis offline from clean outputs).
    done = make(repo, "-j2", "reproduce", offline=can_cut_network())
    assert done.wait(timeout=900) == 0
    assert git(repo, "status", "--porcelain") == "", \
        f"under {OTHER_CPU_PATH} an output differs from its committed bytes"
    assert not list(repo.rglob(".*.tmp")), "temporary files of interrupted writes remain"


def test_kill_points_fall_inside_the_run_they_interrupt():
    durations = {"00_a": 4.0, "10_b": 10.0, "11_c": 6.0, "90_d": 2.0}
    layers = [["00_a"], ["10_b", "11_c"], ["90_d"]]
    assert kill_after("first step", 0.5, layers, durations) == 2.0
    assert kill_after("middle layer", 0.5, layers, durations) == 9.0
    assert kill_after("last step", 0.5, layers, durations) == 15.0
    assert kill_after("first step", 0.5, [[], ["11_c"], ["90_d"]], durations) == 3.0, "a resumed run starts later"


def test_the_network_can_be_cut_here():
    """Says plainly when the offline run above could not cut the network (no unshare or no rights)."""
    if not can_cut_network():
        pytest.skip("unshare -n is not available: the completing run above was not offline")
    result = subprocess.run(["unshare", "-n", sys.executable, "-c",
                             "import socket; socket.create_connection(('pypi.org', 443), timeout=3)"],
                            capture_output=True, text=True)
    assert result.returncode != 0, "the network namespace still reaches the internet"
