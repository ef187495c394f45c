"""The batch runner: several notebooks in one process, in parallel; stamps only for successes."""

from __future__ import annotations

import os

import nbformat

from analysis import paths
from analysis.pipeline import batch as batch_runner


def test_runs_in_place_in_parallel_and_stamps_only_successes(tmp_path, capsys, tiny_notebook):
    good = [tiny_notebook(tmp_path / f"1{i}_good_one.ipynb", f"print({i} * 7)") for i in range(3)]
    bad = tiny_notebook(tmp_path / "19_bad_one.ipynb", "raise ValueError('on purpose')")
    before_bad = bad.read_bytes()
    stamps = tmp_path / "stamps"
    code = batch_runner.main(["--jobs", "2", "--stamps", str(stamps), *map(str, [*good, bad])])
    assert code == 1
    assert sorted(p.name for p in stamps.iterdir()) == sorted([*(p.stem for p in good), batch_runner.DURATIONS_FILE])
    assert set(batch_runner.read_durations(stamps)) == {p.stem for p in [*good, bad]}
    for i, path in enumerate(good):
        outputs = [o for c in nbformat.read(path, as_version=4).cells for o in c.get("outputs", [])]
        assert any(o.get("text") == f"{i * 7}\n" for o in outputs)
    assert bad.read_bytes() == before_bad, "a failed notebook is not replaced"
    assert "FAILED" in capsys.readouterr().err


def test_longest_first_uses_last_durations_then_code_cells(tmp_path, tiny_notebook):
    short = tiny_notebook(tmp_path / "10_short.ipynb", "1")
    long = tiny_notebook(tmp_path / "11_long.ipynb", "2")
    nb = nbformat.read(long, as_version=4)
    nb.cells += [nbformat.v4.new_code_cell("3"), nbformat.v4.new_code_cell("4")]
    nbformat.write(nb, long)
    untimed = [str(short), str(long)]
    assert batch_runner.longest_first(untimed, {}) == [str(long), str(short)]
    assert batch_runner.longest_first(untimed, {"10_short": 9.0, "11_long": 1.0}) == [str(short), str(long)]
    assert batch_runner.longest_first(untimed, {"10_short": 9.0}) == [str(long), str(short)], "untimed first"
    assert batch_runner.read_durations(tmp_path / "nowhere") == {}


def test_a_failed_layer_stops_the_later_layers(tmp_path, tiny_notebook):
    bad = tiny_notebook(tmp_path / "00_bad.ipynb", "raise ValueError('on purpose')")
    later = tiny_notebook(tmp_path / "90_later.ipynb", "print('ran')")
    before = later.read_bytes()
    stamps = tmp_path / "stamps"
    assert batch_runner.main(["--jobs", "2", "--stamps", str(stamps), "--layer", str(bad), "--layer", str(later)]) == 1
    assert later.read_bytes() == before and not (stamps / "90_later").exists()


def test_make_decides_which_notebooks_of_a_layer_are_stale(tmp_path, tiny_notebook, monkeypatch):
    import os
    import time

    fresh = tiny_notebook(tmp_path / "10_fresh.ipynb", "1")
    old = tiny_notebook(tmp_path / "11_changed.ipynb", "2")
    stamps = tmp_path / "stamps"
    stamps.mkdir()
    for name in ("10_fresh", "11_changed"):
        (stamps / name).touch()
    later = time.time() + 10
    os.utime(old, (later, later))  # the notebook changed after its last run
    makefile = tmp_path / "Makefile"
    # the rule's folder comes from a command-line variable of the parent make, as `make VENV=...`
    # does; the parent's jobserver (file descriptors this process does not have) is dropped
    makefile.write_text(f"{stamps}/%: $(NOTEBOOK_DIR)/%.ipynb\nifdef QUEUE\n\t@echo $< >> $(QUEUE)\nelse\n\ttouch $@\nendif\n")
    monkeypatch.setenv("MAKEFLAGS", f"r -j2 --jobserver-auth=3,4 -- NOTEBOOK_DIR={tmp_path}")
    assert batch_runner.stale([str(fresh), str(old)], f"make -f {makefile}", str(stamps)) == [str(old)]


def test_the_batch_runner_prints_the_message_first(tmp_path, tiny_notebook):
    """Through the runner the user sees the message first, the traceback only with --verbose."""
    import subprocess
    import sys

    nb = tiny_notebook(tmp_path / "broken.ipynb",
                       "from analysis.errors import RawDataError\nraise RawDataError('data/raw/x.csv', 'bad', line=3, column='c')")
    run = subprocess.run([sys.executable, "-m", "analysis.pipeline.batch", str(nb)], capture_output=True, text=True,
                         env={**os.environ})
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("==> FAILED"))
    assert lines[at + 1] == "data/raw/x.csv, line 3, column 'c': bad"
    assert "Traceback" not in run.stderr and "---" not in lines[at + 1]
    verbose = subprocess.run([sys.executable, "-m", "analysis.pipeline.batch", "--verbose", str(nb)],
                             capture_output=True, text=True)
    assert "RawDataError" in verbose.stderr.split("==> FAILED", 1)[1].split("\n", 2)[2]
    (paths.FAILED_RUNS / "broken.ipynb").unlink(missing_ok=True)
