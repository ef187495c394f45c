"""The runner: one papermill run on the python3 kernel, deterministic, all or nothing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from analysis import paths
from analysis.errors import OutputError
from analysis.pipeline.run import KERNEL, coalesce_streams, run_notebook, strip_volatile

#: A notebook cell that adds one output through the pipeline's writer and finishes, as a step does.
WRITES = """
from analysis.session.outputs import OutputWriter
writer = OutputWriter("01_write_things", r"{results}")
writer.add_text(r"{results}/out.txt", "written " + str(x))
writer.finish()
"""


def test_strip_volatile_removes_timings_and_the_python_version():
    nb = new_notebook(cells=[new_code_cell("1")], metadata={"papermill": {"duration": 1.0},
                                                          "language_info": {"name": "python", "version": "3.13.0"}})
    nb.cells[0].metadata.update({"papermill": {"start_time": "x"}, "execution": {"iopub.status.idle": "y"}, "tags": []})
    out = strip_volatile(nb)
    assert "papermill" not in out.metadata and out.metadata["language_info"] == {"name": "python"}
    assert out.cells[0].metadata == {"tags": []}
    assert out.metadata["kernelspec"] == KERNEL


def test_runs_are_byte_identical_and_parameters_are_injected(tmp_path, tiny_notebook):
    source = tiny_notebook(tmp_path / "01_try_things.ipynb", "print(x * 2)")
    out = tmp_path / "out.ipynb"
    run_notebook(source, out, {"x": 21})
    first = out.read_bytes()
    run_notebook(source, out, {"x": 21})
    assert out.read_bytes() == first
    nb = json.loads(first)
    assert "papermill" not in nb["metadata"]
    assert any("42" in "".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


def test_outputs_are_written_with_the_notebook_and_only_if_it_succeeds(tmp_path, tiny_notebook):
    results = tmp_path / "results"
    good = tiny_notebook(tmp_path / "01_write_things.ipynb", WRITES.format(results=results))
    run_notebook(good, tmp_path / "good.ipynb", {"x": 2})
    assert (results / "out.txt").read_text(encoding="utf-8") == "written 2\n"
    assert (results / "manifest" / "01_write_things.csv").exists() and (tmp_path / "good.ipynb").exists()

    failing = tiny_notebook(tmp_path / "01_write_things.ipynb", WRITES.format(results=results) + "raise RuntimeError('boom')")
    with pytest.raises(Exception, match="boom"):
        run_notebook(failing, tmp_path / "failed.ipynb", {"x": 3})
    assert (results / "out.txt").read_text(encoding="utf-8") == "written 2\n", "the finished writer was not committed"
    assert not (tmp_path / "failed.ipynb").exists()
    assert (paths.FAILED_RUNS / "01_write_things.ipynb").exists(), "the failed run is kept to look at"


def test_a_failure_is_one_message_naming_the_notebook_and_nothing_written(tmp_path, tiny_notebook):
    source = tiny_notebook(tmp_path / "01_fail.ipynb", "x = 1")
    done = subprocess.run([sys.executable, "-m", "analysis.pipeline.run", str(source), "-p", "y", "2"],
                          capture_output=True, text=True, cwd=paths.PROJECT_ROOT)
    assert done.returncode == 1
    assert "parameter 'y': unknown parameter; the notebook's parameters are x (default 1)" in done.stderr
    assert "Traceback" not in done.stderr and "nothing was written" in done.stderr


def test_split_stream_outputs_are_merged():
    outputs = [new_output("stream", name="stdout", text="caption"), new_output("stream", name="stdout", text="\n"),
               new_output("display_data", data={"text/plain": "fig"}), new_output("stream", name="stdout", text="next\n"),
               new_output("stream", name="stderr", text="warn\n")]
    merged = coalesce_streams(outputs)
    assert [o["output_type"] for o in merged] == ["stream", "display_data", "stream", "stream"]
    assert merged[0]["text"] == "caption\n" and merged[3]["name"] == "stderr"


def test_no_room_for_a_runs_temporary_folder_is_one_message_naming_it(monkeypatch):
    import tempfile

    from analysis.pipeline import run as runner

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(tempfile, "TemporaryDirectory", full)
    with pytest.raises(OutputError, match="cannot make a temporary folder: No space left on device; free space there, "
                                          "or set TMPDIR to another folder"):
        with runner.temporary_folder():
            pass


def test_a_full_tmpdir_during_a_run_is_one_message_naming_it(tmp_path, monkeypatch, tiny_notebook):
    import tempfile

    import papermill

    notebook = tiny_notebook(tmp_path / "nb.ipynb", "print(1)")
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(papermill, "execute_notebook", full)
    with pytest.raises(OutputError, match=r"tmp: cannot write: No space left on device \(errno 28\); free space there, "
                                          "or set TMPDIR to another folder"):
        run_notebook(notebook, tmp_path / "out.ipynb")
    assert not (tmp_path / "out.ipynb").exists()
