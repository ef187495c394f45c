"""Notebooks: named NN_verb_object, thin, parameterised with plain literals, on the project
kernel, free of volatile metadata and machine-specific paths; the runner is atomic and
deterministic."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis import paths
from analysis.notebook_runner import VOLATILE_CELL_KEYS, notebook_bytes, run_notebook, strip_volatile

NOTEBOOKS = sorted(paths.NOTEBOOKS.glob("*.ipynb"))
IDS = [nb.name for nb in NOTEBOOKS]


def load(path):
    return nbformat.read(path, as_version=4)


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_name_is_nn_verb_object(path):
    assert re.fullmatch(r"\d{2}_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", path.name)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_one_parameters_cell_of_plain_literals(path):
    cells = [c for c in load(path).cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1
    tree = ast.parse(cells[0].source)
    assert tree.body, "empty parameters cell"
    for node in tree.body:
        assert isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ast.literal_eval(node.value)  # raises on anything but a literal


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_notebook_is_executed_and_clean(path):
    raw = path.read_text(encoding="utf-8")
    nb = json.loads(raw)
    assert "papermill" not in nb["metadata"]
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] is not None for c in code), "every code cell holds its stored output"
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    for cell in nb["cells"]:
        assert not set(cell["metadata"]) & set(VOLATILE_CELL_KEYS)
    assert str(paths.PROJECT_ROOT) not in raw and "/tmp/" not in raw, "machine-specific path in a stored notebook"
    assert notebook_bytes(nbformat.reads(raw, as_version=4)) == raw.encode("utf-8"), "not in canonical form"
    assert not any(o.get("name") == "stderr" for c in code for o in c.get("outputs", [])), "stderr in stored output"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_a_make_step(path):
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    listed = re.search(r"^NOTEBOOKS\s*:=\s*(.*)$", makefile, re.M).group(1).split()
    assert path.stem in listed


def test_strip_volatile_removes_timings():
    nb = new_notebook(cells=[new_code_cell("1")], metadata={"papermill": {"duration": 1.0}})
    nb.cells[0].metadata.update({"papermill": {"start_time": "x"}, "execution": {"iopub.status.idle": "y"}, "tags": []})
    out = strip_volatile(nb)
    assert "papermill" not in out.metadata
    assert out.cells[0].metadata == {"tags": []}
    assert out.metadata["kernelspec"]["name"] == paths.KERNEL_NAME


def test_runs_are_byte_identical_and_parameters_are_injected(tmp_path, tiny_notebook):
    source = tiny_notebook(tmp_path / "01_try_things.ipynb", "print(x * 2)")
    out = tmp_path / "out.ipynb"
    run_notebook(source, out, {"x": 21}, progress=False)
    first = out.read_bytes()
    run_notebook(source, out, {"x": 21}, progress=False)
    assert out.read_bytes() == first
    nb = json.loads(first)
    assert "papermill" not in nb["metadata"]
    assert any("42" in "".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))


def test_failed_run_leaves_the_stored_notebook_unchanged(tmp_path, tiny_notebook):
    source = tiny_notebook(tmp_path / "01_fail_on_purpose.ipynb", "raise RuntimeError('boom')")
    stored = tmp_path / "stored.ipynb"
    stored.write_bytes(b"previous good run")
    failed = tmp_path / "failed"
    with pytest.raises(Exception, match="boom"):
        run_notebook(source, stored, progress=False, failed_dir=failed)
    assert stored.read_bytes() == b"previous good run"
    assert (failed / source.name).exists()


def test_split_stream_outputs_are_merged():
    from nbformat.v4 import new_output

    from analysis.notebook_runner import coalesce_streams

    outputs = [new_output("stream", name="stdout", text="caption"), new_output("stream", name="stdout", text="\n"),
               new_output("display_data", data={"text/plain": "fig"}), new_output("stream", name="stdout", text="next\n"),
               new_output("stream", name="stderr", text="warn\n")]
    merged = coalesce_streams(outputs)
    assert [o["output_type"] for o in merged] == ["stream", "display_data", "stream", "stream"]
    assert merged[0]["text"] == "caption\n" and merged[3]["name"] == "stderr"


def test_runner_processes_skip_the_slow_optional_import_and_still_validate():
    """analysis.fastimport keeps jsonschema's optional rfc3987_syntax (~0.7 s) out of the runners."""
    code = ("import sys, analysis.batch_runner, nbformat; "
            "nb = nbformat.read('notebooks/00_clean_extracts.ipynb', as_version=4); nbformat.validate(nb); "
            "print(sys.modules.get('rfc3987_syntax', 'absent'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=paths.PROJECT_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"



def test_the_runner_does_not_interrupt_a_kernel_it_is_shutting_down(tmp_path, monkeypatch):
    """jupyter_client interrupts a kernel before shutting it down, and ipykernel then logs an
    alarming "KeyboardInterrupt caught in kernel" ERROR line (at random, by timing)."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from analysis.notebook_runner import _ipc_kernel_manager

    interrupted = []

    async def interrupt(self):
        interrupted.append(self.shutting_down)

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", interrupt)
    km = _ipc_kernel_manager(tmp_path)(kernel_name=paths.KERNEL_NAME)
    km.shutting_down = True
    asyncio.run(km._async_interrupt_kernel())
    assert interrupted == [], "no interrupt on the way to a shutdown"
    km.shutting_down = False
    asyncio.run(km._async_interrupt_kernel())
    assert interrupted == [False], "an interrupt asked for otherwise still goes through"
