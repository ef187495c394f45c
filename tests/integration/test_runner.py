"""The runner: papermill on the project kernel, in place, atomic and deterministic."""

from __future__ import annotations

import json

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from analysis import paths
from analysis.pipeline.runner import run_notebook, strip_volatile


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

    from analysis.pipeline.runner import coalesce_streams

    outputs = [new_output("stream", name="stdout", text="caption"), new_output("stream", name="stdout", text="\n"),
               new_output("display_data", data={"text/plain": "fig"}), new_output("stream", name="stdout", text="next\n"),
               new_output("stream", name="stderr", text="warn\n")]
    merged = coalesce_streams(outputs)
    assert [o["output_type"] for o in merged] == ["stream", "display_data", "stream", "stream"]
    assert merged[0]["text"] == "caption\n" and merged[3]["name"] == "stderr"


def test_the_runner_does_not_interrupt_a_kernel_it_is_shutting_down(tmp_path, monkeypatch):
    """jupyter_client interrupts a kernel before shutting it down, and ipykernel then logs an
    alarming "KeyboardInterrupt caught in kernel" ERROR line (at random, by timing)."""
    import asyncio

    from jupyter_client.manager import AsyncKernelManager

    from analysis.pipeline.kernels import kernel_manager

    interrupted = []

    async def interrupt(self):
        interrupted.append(self.shutting_down)

    monkeypatch.setattr(AsyncKernelManager, "_async_interrupt_kernel", interrupt)
    km = kernel_manager(tmp_path)(kernel_name=paths.KERNEL_NAME)
    km.shutting_down = True
    asyncio.run(km._async_interrupt_kernel())
    assert interrupted == [], "no interrupt on the way to a shutdown"
    km.shutting_down = False
    asyncio.run(km._async_interrupt_kernel())
    assert interrupted == [False], "an interrupt asked for otherwise still goes through"
