"""Run a notebook in place with papermill, deterministically and atomically.

``python -m analysis.notebook_runner notebooks/00_clean_extracts.ipynb [-f params.yml] [-o out.ipynb]``

* papermill executes on the project kernel (:data:`analysis.paths.KERNEL_NAME`), in the
  notebook's folder (as JupyterLab and nbval do), with its progress bar on the terminal;
* the executed notebook goes to a temporary file; on success the volatile metadata papermill
  and the kernel add (timings, timestamps, papermill's run record) is stripped and the result
  replaces the stored notebook atomically, and only if its bytes changed; on failure the stored
  notebook is left as it was and the failed run is kept under ``build/failed/`` for inspection.
* parameters come from a YAML file (``-f``), from ``-p NAME VALUE`` (the value read as a YAML
  scalar: ``2023`` is an int) or from ``-r NAME VALUE`` (the value kept as a string, so a
  folder called ``2024`` stays a string).
"""

from __future__ import annotations

import analysis.fastimport  # noqa: F401, I001  first: before nbformat (see that module)
import argparse
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

from analysis import paths
from analysis.rawio import atomic_write_bytes

#: Notebook-level metadata keys that change from run to run.
VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets")
#: Cell-level metadata keys that change from run to run.
VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove timings, timestamps, run records and random ids so that re-runs are byte-identical."""
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = {"display_name": paths.KERNEL_DISPLAY_NAME, "language": "python",
                                 "name": paths.KERNEL_NAME}
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    return nb


def coalesce_streams(outputs: list) -> list:
    """Merge adjacent stream outputs of the same stream: the kernel may deliver one ``print`` in
    one message or in several (under load, the text and its newline can arrive apart)."""
    merged: list = []
    for output in outputs:
        if (output.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == output.get("name")):
            merged[-1]["text"] = merged[-1]["text"] + output["text"]
        else:
            merged.append(output)
    return merged


def notebook_bytes(nb: nbformat.NotebookNode) -> bytes:
    """Canonical serialisation (nbformat's own: sorted keys, one-space indent, final newline)."""
    text = nbformat.writes(nb, version=4)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def _ipc_kernel_manager(directory: Path):
    """A kernel manager talking to the kernel over IPC sockets in ``directory`` (not TCP: nothing
    listens on the network, and ipykernel does not warn about unencrypted TCP)."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", str(directory / "kernel"))
            super().__init__(**kwargs)

        async def _async_interrupt_kernel(self):
            # jupyter_client interrupts every kernel before shutting it down, and ipykernel then
            # logs "KeyboardInterrupt caught in kernel" at ERROR level: alarming, and meaningless
            # here. A kernel whose notebook has finished is idle; the shutdown request suffices
            # (and jupyter_client still kills a kernel that does not stop in time).
            if self.shutting_down:
                return
            await super()._async_interrupt_kernel()

    return IPCKernelManager


def run_notebook(notebook: str | Path, output: str | Path | None = None, parameters: dict | None = None,
                 progress: bool = True, failed_dir: str | Path = paths.FAILED_RUNS) -> Path:
    """Execute ``notebook`` and store the result at ``output`` (default: in place).

    On failure the stored ``output`` is not touched; the partial run goes to ``failed_dir``.
    """
    import papermill as pm  # imported here: papermill is slow to import and not needed otherwise

    notebook = paths.resolve(notebook)
    output = paths.resolve(output) if output else notebook
    with tempfile.TemporaryDirectory(prefix="nbrun-") as tmp:
        executed = Path(tmp) / notebook.name
        try:
            pm.execute_notebook(
                str(notebook), str(executed), parameters=parameters or {}, kernel_name=paths.KERNEL_NAME,
                cwd=str(notebook.parent), progress_bar=progress, request_save_on_cell_execute=False,
                kernel_manager_class=_ipc_kernel_manager(Path(tmp)),
            )
        except BaseException:
            if executed.exists():
                kept = Path(failed_dir) / notebook.name
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_bytes(executed.read_bytes())
                print(f"notebook failed; {paths.shown(output)} left unchanged; "
                      f"the failed run is in {paths.shown(kept)}", file=sys.stderr)
            raise
        nb = strip_volatile(nbformat.read(executed, as_version=4))
    atomic_write_bytes(output, notebook_bytes(nb))
    return output


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook")
    parser.add_argument("-o", "--output", help="where to store the executed notebook (default: in place)")
    parser.add_argument("-f", "--parameters-file", help="YAML file of parameters")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter, its value read as a YAML scalar (2023 -> int)")
    parser.add_argument("-r", "--raw", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter kept as a string")
    parser.add_argument("--no-progress", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    parameters: dict = {}
    if args.parameters_file:
        parameters.update(yaml.safe_load(Path(args.parameters_file).read_text(encoding="utf-8")) or {})
    parameters.update({k: yaml.safe_load(v) for k, v in args.parameter})
    parameters.update(dict(args.raw))
    target = paths.shown(paths.resolve(args.output or args.notebook))
    print(f"==> running {paths.shown(paths.resolve(args.notebook))} -> {target}"
          + (f" with {parameters}" if parameters else ""), flush=True)
    run_notebook(args.notebook, args.output, parameters, progress=not args.no_progress)
    print(f"==> done: {target}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
