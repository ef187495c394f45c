"""A user's copy of the project, kept where users keep projects (a path with a space and a Cyrillic
letter), run with the README's commands: its own ``.venv`` made by make, ``make reproduce``
interrupted (SIGKILL to the whole process group) three times and completed with the network cut,
then the next year. Each interrupted run leaves every committed file as it was; the completing
run leaves ``git status`` empty; nothing is created outside the copy but make's package cache.

These runs are also the check that outputs do not depend on the CPU's instruction path: every run
here uses another OpenBLAS kernel (``OPENBLAS_CORETYPE=Prescott``, the oldest x86-64 one) with
every BLAS and OpenMP pool on one thread (``test_nbval.py`` does the same for NumPy's SIMD paths).
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from analysis import paths, pipeline

from support import copy_worktree, git

OTHER_CPU_PATH = {"OPENBLAS_CORETYPE": "Prescott", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                  "MKL_NUM_THREADS": "1"}
STEPS = [s.name for s in pipeline.steps()]
#: Where each run is killed: once this many steps have finished, after this many seconds more.
KILL_POINTS = ((0, 1.5), (5, 0.5), (len(STEPS) - 1, 1.0))
FIXTURE = Path(__file__).parents[1] / "fixtures" / "FIXTURE_next_year_2024"
YEAR = 2024


def environment() -> dict[str, str]:
    """The user's environment: nothing of this test run's Python (its PYTHONPATH, its venv)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith("PYTEST")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(paths.PROJECT_ROOT)))
    return {**env, **OTHER_CPU_PATH}


def make(repo: Path, *args: str, offline: bool = False) -> subprocess.Popen:
    prefix = ["unshare", "-n"] if offline else []
    return subprocess.Popen([*prefix, "make", "JOBS=2", *args], cwd=repo, env=environment(), start_new_session=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finished_steps(repo: Path) -> int:
    return sum((repo / ".make" / name).exists() for name in STEPS)


def changed_tracked_files(repo: Path) -> list[str]:
    return [line for line in git(repo, "status", "--porcelain").splitlines() if not line.startswith("??")]


def can_cut_network() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0


def readme_commands(name: str) -> list[str]:
    """The commands of the README's block marked ``readme-commands: <name>``, continuation lines joined."""
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(rf"<!-- readme-commands: {name} .*?-->\n```sh\n(.*?)```", readme, re.S)
    assert block, f"the README has no block marked readme-commands: {name}"
    return [line.strip() for line in block.group(1).replace("\\\n", " ").splitlines() if line.strip()]


def run(repo: Path, command: str) -> str:
    done = subprocess.run(["bash", "-c", command], cwd=repo, env=environment(), capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def stored_outputs(repo: Path) -> dict[str, str]:
    files = [p for d in ("data/processed", "results", "notebooks") for p in (repo / d).rglob("*") if p.is_file()]
    return {p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    home = tmp_path_factory.mktemp("home")
    repo = copy_worktree(home / "my projects" / "тест" / "kz")
    created = run(repo, "make venv")
    assert "creating .venv" in created and (repo / ".venv" / "bin" / "python").exists()
    assert sorted(p.name for p in home.iterdir()) == ["my projects"], "nothing was created beside the project"
    return repo


def test_interrupted_runs_leave_every_output_whole_and_the_next_run_completes_offline(repo):
    for done_before, seconds in KILL_POINTS:  # each run starts where the killed one stopped
        proc = make(repo, "reproduce")
        while finished_steps(repo) < done_before and proc.poll() is None:
            time.sleep(0.1)
        time.sleep(seconds)
        assert proc.poll() is None, f"make reproduce finished before the kill point ({done_before} steps + {seconds} s)"
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert finished_steps(repo) < len(STEPS), "killed after every step had run: nothing was interrupted"
        assert changed_tracked_files(repo) == [], f"killed after {done_before} steps, an output differs from its committed bytes"
    # What a hand does meanwhile, found by content: a processed file edited, a figure's data
    # deleted, a stamp dated in the future; then the whole results folder deleted.
    regions = repo / "data" / "processed" / "regions.csv"
    regions.write_text(regions.read_text(encoding="utf-8").replace("Abai", "Abaj"), encoding="utf-8")
    (repo / "results" / "figures" / "dotplot_preschool_inclusion_en.csv").unlink()
    future = time.time() + 3600
    os.utime(repo / ".make" / "20_figure1_special_organisations", (future, future))
    found = run(repo, "make check-outputs")
    assert "==> data/processed/regions.csv differs from what 00_clean_extracts wrote; re-running it" in found
    assert ("==> results/figures/dotplot_preschool_inclusion_en.csv is missing; re-running "
            "24_dotplot_preschool_inclusion") in found
    assert "==> the stamp of 20_figure1_special_organisations is dated in the future; re-running it" in found
    assert not any((repo / ".make" / s).exists() for s in ("00_clean_extracts", "24_dotplot_preschool_inclusion",
                                                           "20_figure1_special_organisations"))
    shutil.rmtree(repo / "results")
    assert "==> results/manifest/30_verify_claims.csv is missing; re-running 30_verify_claims" in run(repo, "make check-outputs")
    done = make(repo, "reproduce", offline=can_cut_network())
    output, _ = done.communicate(timeout=900)
    assert done.returncode == 0, output[-3000:]
    assert git(repo, "status", "--porcelain") == "", f"under {OTHER_CPU_PATH} an output differs from its committed bytes"
    assert not list(repo.rglob(".*.tmp")), "temporary files of interrupted writes remain"
    again = make(repo, "reproduce")
    output, _ = again.communicate(timeout=60)
    assert again.returncode == 0 and "==> running" not in output, "a second run finds everything current"


def test_a_copied_project_does_not_run_on_the_original(repo, tmp_path):
    """A copy (cp -a) keeps the original's .venv, whose editable install imports the original's
    code: make re-creates it before running anything, and a Python or kernel started from the
    copied .venv refuses to run in the copy."""
    copy = tmp_path / "copy of kz"
    subprocess.run(["cp", "-a", str(repo), str(copy)], check=True)
    before = git(repo, "status", "--porcelain")
    assert subprocess.run(["make", "-q", ".venv/.installed"], cwd=copy, env=environment()).returncode == 1, \
        "make finds the copied .venv stale"
    assert "re-creating it for" in run(copy, "make -n venv")
    refused = subprocess.run([".venv/bin/python", "-m", "analysis.pipeline.run", "notebooks/10_table1_preschools.ipynb"],
                             cwd=copy, env=environment(), capture_output=True, text=True)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"this Python runs the code of {repo}, not of this folder" in refused.stderr
    kernel = subprocess.run([str(copy / ".venv" / "bin" / "python"), "-c", "from analysis import session; "
                             "session.start('10_table1_preschools', year=2023)"], cwd=copy / "notebooks",
                            env=environment(), capture_output=True, text=True)
    assert kernel.returncode == 1 and f"this kernel runs the code of {repo}, not of this folder" in kernel.stderr
    assert git(repo, "status", "--porcelain") == before, "nothing of the original changed"


def test_user_errors_on_the_command_line_get_one_message_and_change_nothing(repo):
    for command, message in [
            ("make reproduce YEAR=2024a", "YEAR=2024a is not a year; give four digits, e.g. make reproduce YEAR=2024"),
            ("make reproduce YEAR=-1", "YEAR=-1 is not a year; give four digits"),
            ("make reproduce YEAR=2031", "YEAR=2031: no raw files data/raw/table1_preschools_2031.csv"),
            ("make reproduce JOBS=two", "JOBS=two is not a number of steps to run at once"),
            ("make register-year YEAR=24", "give the year as four digits")]:
        done = subprocess.run(["bash", "-c", command], cwd=repo, env=environment(), capture_output=True, text=True)
        assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr, command
    notebook = repo / "notebooks" / "21_figure2_inclusive_schools.ipynb"
    kept = notebook.read_bytes()
    notebook.unlink()
    done = subprocess.run(["make", "reproduce"], cwd=repo, env=environment(), capture_output=True, text=True)
    notebook.write_bytes(kept)
    assert done.returncode != 0 and "notebooks/21_figure2_inclusive_schools.ipynb missing: every step needs its " \
        "notebook; restore it with git checkout -- notebooks/21_figure2_inclusive_schools.ipynb" in done.stderr
    assert git(repo, "status", "--porcelain") == ""


def test_an_interrupted_step_says_what_was_written(repo):
    (repo / ".make" / "24_dotplot_preschool_inclusion").unlink(missing_ok=True)
    proc = make(repo, "reproduce")
    running = ["pgrep", "-f", "analysis.pipeline.run notebooks/24_dotplot_preschool_inclusion.ipynb"]
    while subprocess.run(running, capture_output=True).returncode != 0:  # output is shown when a step ends
        assert proc.poll() is None, "make ended before the step started"
        time.sleep(0.1)
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGINT)
    output, _ = proc.communicate(timeout=60)
    assert re.search(r"==> interrupted(: notebooks/24_dotplot_preschool_inclusion.ipynb; nothing of it was written"
                     r"| before the run started; nothing was written)", output), output
    assert "Traceback" not in output and git(repo, "status", "--porcelain") == ""


def test_a_run_with_no_home_folder_stays_quiet(repo):
    """HOME=/dev/null (a service account, a container): IPython's and matplotlib's folders go to the
    run's own temporary folder; nothing is printed into the stored notebook, nothing changes."""
    (repo / ".make" / "20_figure1_special_organisations").unlink(missing_ok=True)
    done = subprocess.run(["make", "reproduce"], cwd=repo, env={**environment(), "HOME": "/dev/null"},
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and "Traceback" not in done.stdout + done.stderr, done.stderr[-2000:]
    assert git(repo, "status", "--porcelain") == ""


@pytest.fixture(scope="module")
def next_year(repo):
    for path in FIXTURE.glob("*.csv"):  # the user puts the new extract beside the article's
        shutil.copy(path, repo / "data" / "raw" / path.name)
    before = stored_outputs(repo)
    status = {}
    register, reproduce = readme_commands("next-year")
    run(repo, register)
    git(repo, "add", "-A")  # the registration, reviewed, is committed
    git(repo, "-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "-qm", "register 2024")
    run(repo, reproduce)
    status["reproduce"] = git(repo, "status", "--porcelain")
    for command in readme_commands("by-hand"):
        run(repo, command)
    status["by-hand"] = git(repo, "status", "--porcelain")
    return {"repo": repo, "root": repo / "build" / "years" / str(YEAR), "status": status,
            "stored_unchanged": stored_outputs(repo) == before}


def test_the_next_year_commands_leave_git_status_empty_and_2023_intact(next_year):
    assert next_year["status"] == {"reproduce": "", "by-hand": ""}
    assert next_year["stored_unchanged"], "a stored 2023 output changed"


def test_every_step_that_takes_a_year_ran_for_it(next_year):
    with_year = {s.name for s in pipeline.steps() if s.takes_year}
    assert {p.stem for p in (next_year["root"] / "notebooks").glob("*.ipynb")} == with_year


def test_processed_tables_follow_the_fixture(next_year):
    fixture = rows(FIXTURE / "table1_preschools_2024.csv")
    processed = rows(next_year["root"] / "processed" / "preschool_inclusion_2024.csv")
    header = processed[0]
    by_printed = {r[header.index("region_as_printed")]: r for r in processed[1:]}
    assert len(by_printed) == 20
    for printed in fixture[2:]:
        row = by_printed[printed[0]]
        assert row[header.index("year")] == str(YEAR)
        assert row[header.index("preschools_total")] == printed[1]
        assert row[header.index("preschools_inclusive")] == printed[2]


@pytest.mark.parametrize(("stem", "raw"), [("table1_preschools", "table1_preschools_2024.csv"),
                                           ("table2_teacher_shortage", "table2_teacher_shortage_2024.csv")])
def test_rebuilt_tables_follow_the_fixture_not_2023(next_year, stem, raw):
    root = next_year["root"]
    table = rows(root / "results" / "tables" / f"{stem}_kk.csv")[1:]
    assert table == rows(FIXTURE / raw)[1:], "every cell, total row included, equals the 2024 fixture"
    assert table[0] != rows(paths.RESULTS / "tables" / f"{stem}_kk.csv")[1:][0]
    assert "2024" in (root / "results" / "tables" / f"{stem}_en.md").read_text(encoding="utf-8")
    text = (root / "notebooks" / "10_table1_preschools.ipynb").read_text(encoding="utf-8")
    assert "injected-parameters" in text and "2024" in text


def test_the_by_hand_command_writes_its_notebook_and_manifest_in_its_own_folders(next_year):
    root = next_year["root"]
    assert (root / "notebooks" / "00_clean_extracts.ipynb").exists()
    fragment = rows(root / "results" / "manifest" / "00_clean_extracts.csv")
    assert all(r[0].startswith("build/years/2024/processed/") for r in fragment[1:])
