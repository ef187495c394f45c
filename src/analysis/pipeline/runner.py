"""Run a notebook in place with papermill, deterministically and atomically.

``python -m analysis.pipeline.runner notebooks/00_clean_extracts.ipynb [-f params.yml] [-o out.ipynb]``

* papermill executes on the project kernel (:data:`analysis.paths.KERNEL_NAME`), in the
  notebook's folder (as JupyterLab and nbval do), with its progress bar on the terminal;
* the executed notebook goes to a temporary file; on success the volatile metadata papermill
  and the kernel add (timings, timestamps, papermill's run record) is stripped and the result
  replaces the stored notebook atomically, and only if its bytes changed; on failure the stored
  notebook is left as it was and the failed run is kept under ``build/failed/`` for inspection.
* parameters come from a YAML file (``-f``), from ``-p NAME VALUE`` (the value read as a YAML
  scalar: ``2023`` is an int) or from ``-r NAME VALUE`` (the value kept as a string, so a
  folder called ``2024`` stays a string). A parameter the notebook does not declare in its
  ``parameters`` cell, or of another kind than its default (text for a number), stops the run
  before anything executes, naming the parameter and the notebook's parameters.

A failure is reported as one message, first: the error a user can act on (it names the file and
where in it, see :mod:`analysis.errors`); the traceback only with ``--verbose``, and in the
failed run kept under ``build/failed/``.
"""

from __future__ import annotations

import analysis.fastimport  # noqa: F401  first: nbformat, below, must not import rfc3987_syntax

# isort: split
import argparse
import ast
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
import yaml

from analysis import paths
from analysis.errors import NotebookError, UserError
from analysis.ingest.rawio import atomic_write_bytes

#: What a user-caused error's name is in a kernel's report (these messages are shown as they are).
USER_ERRORS = ("UserError", "RawDataError", "OutputError", "NotebookError", "RegistryError")
#: Longest message shown for an unexpected error (its beginning: the part that names the problem).
UNEXPECTED_CHARS = 2000
_ANSI = re.compile(r"\x1b\[[0-9;]*m")

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


def read_notebook(notebook: str | Path) -> nbformat.NotebookNode:
    """The notebook, or a :class:`NotebookError` naming it when it is missing or not a notebook."""
    notebook = paths.resolve(notebook)
    try:
        return nbformat.read(notebook, as_version=4)
    except FileNotFoundError:
        raise NotebookError(notebook, "no such notebook") from None
    except Exception as err:  # JSON errors, nbformat validation errors, ...
        if type(err).__name__ in ("NotJSONError", "JSONDecodeError"):
            detail = "not valid JSON: truncated or damaged"
        else:
            detail = f"{type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}"
        raise NotebookError(notebook, f"not a readable notebook ({detail}); restore it "
                            "from git or save it again from JupyterLab") from None


def notebook_parameters(nb: nbformat.NotebookNode) -> dict[str, object]:
    """The defaults of the notebook's ``parameters`` cell (plain literals, by design)."""
    cell = next((c for c in nb.cells if "parameters" in c.metadata.get("tags", [])), None)
    if cell is None:
        return {}
    out = {}
    for node in ast.parse(cell.source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def _kind(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return type(value).__name__


def _fits(default, value) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return default is None or isinstance(value, type(default))


def check_parameters(notebook: str | Path, nb: nbformat.NotebookNode, given: dict) -> None:
    """Refuse parameters the notebook does not declare, or of another kind than its default."""
    declared = notebook_parameters(nb)
    for name, value in given.items():
        if name not in declared:
            raise NotebookError(notebook, "unknown parameter; the notebook's parameters are "
                                + ", ".join(f"{k} (default {v!r})" for k, v in declared.items()),
                                item=f"parameter '{name}'")
        default = declared[name]
        if not _fits(default, value):
            hint = ""
            if isinstance(value, str) and isinstance(default, (int, float)):
                hint = f"; give numbers with -p (-p {name} {value}), -r keeps text"
            elif isinstance(default, str) and not isinstance(value, str):
                hint = f"; give text with -r (-r {name} {value})"
            raise NotebookError(notebook, f"expects {_kind(default)} (default {default!r}), given {value!r}, "
                                f"{_kind(value)}{hint}", item=f"parameter '{name}'")


def failure_message(err: BaseException) -> tuple[str, str]:
    """(the one message to show first, the traceback) of a failed notebook run.

    An error the user caused (:data:`USER_ERRORS`) is shown as it is: it names the file and where.
    Anything else is shown as ``Name: message``, its beginning kept if it is very long.
    """
    ename = getattr(err, "ename", None)
    if ename is not None:  # papermill's PapermillExecutionError: the kernel's error
        evalue = str(getattr(err, "evalue", ""))
        trace = _ANSI.sub("", "\n".join(getattr(err, "traceback", []) or []))
    else:
        ename, evalue = type(err).__name__, str(err)
        import traceback

        trace = "".join(traceback.format_exception(err))
    if ename in USER_ERRORS or isinstance(err, UserError):
        return evalue, trace
    text = f"{ename}: {evalue}"
    if len(text) > UNEXPECTED_CHARS:
        text = text[:UNEXPECTED_CHARS] + f" [... {len(text) - UNEXPECTED_CHARS} more characters]"
    return text, trace


def run_notebook(notebook: str | Path, output: str | Path | None = None, parameters: dict | None = None,
                 progress: bool = True, failed_dir: str | Path = paths.FAILED_RUNS, kernels: str | None = None) -> Path:
    """Execute ``notebook`` and store the result at ``output`` (default: in place).

    On failure the stored ``output`` is not touched; the partial run goes to ``failed_dir``.
    ``kernels``: ``warm`` or ``plain`` (default: ``$KERNELS``, else warm where fork is safe; see
    :mod:`analysis.pipeline.kernels`).
    """
    import papermill as pm  # imported here: papermill is slow to import and not needed otherwise

    from analysis.pipeline import kernels as kinds

    notebook = paths.resolve(notebook)
    output = paths.resolve(output) if output else notebook
    check_parameters(notebook, read_notebook(notebook), parameters or {})
    kinds.start_template([notebook], kernels=kernels)  # warm: this process's template, else one for this notebook
    with tempfile.TemporaryDirectory(prefix="nbrun-") as tmp:
        executed = Path(tmp) / notebook.name
        try:
            pm.execute_notebook(
                str(notebook), str(executed), parameters=parameters or {}, kernel_name=paths.KERNEL_NAME,
                cwd=str(notebook.parent), progress_bar=progress, request_save_on_cell_execute=False,
                kernel_manager_class=kinds.kernel_manager(Path(tmp), kernels),
            )
        except BaseException as err:
            if executed.exists():
                kept = Path(failed_dir) / notebook.name
                try:
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    kept.write_bytes(executed.read_bytes())
                    err.failed_run = kept  # where the runner says the partial run is
                except OSError:
                    pass  # a full disk must not hide the notebook's own error
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
    parser.add_argument("--verbose", action="store_true", help="also print the traceback of a failure")
    return parser.parse_args(argv)


def report_failure(notebook: str | Path, err: BaseException, verbose: bool = False, output: str | Path | None = None) -> str:
    """What the runners print when a notebook fails: the message first, then where things are."""
    message, trace = failure_message(err)
    lines = [message]
    if verbose and trace:
        lines.append(trace)
    target = paths.shown(paths.resolve(output or notebook))
    failed = getattr(err, "failed_run", None)
    lines.append(f"    ({target} left as it was" + (f"; the failed run is in {paths.shown(failed)}" if failed else "")
                 + ("" if verbose else "; --verbose shows the traceback") + ")")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    parameters: dict = {}
    try:
        if args.parameters_file:
            parameters.update(_read_parameters_file(args.parameters_file))
        parameters.update({k: yaml.safe_load(v) for k, v in args.parameter})
        parameters.update(dict(args.raw))
        target = paths.shown(paths.resolve(args.output or args.notebook))
        print(f"==> running {paths.shown(paths.resolve(args.notebook))} -> {target}"
              + (f" with {parameters}" if parameters else ""), flush=True)
        # One notebook gains nothing from a template (it would import for this one kernel only):
        # an ordinary kernel, unless KERNELS asks for warm ones.
        single = "plain" if os.environ.get("KERNELS", "auto").strip().lower() in ("", "auto") else None
        run_notebook(args.notebook, args.output, parameters, progress=not args.no_progress, kernels=single)
    except Exception as err:
        print(report_failure(args.notebook, err, args.verbose, args.output), file=sys.stderr, flush=True)
        return 1
    print(f"==> done: {target}", flush=True)
    return 0


def _read_parameters_file(path: str) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as err:
        raise NotebookError(paths.resolve(path), f"cannot read the parameters file: {err.strerror}") from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise NotebookError(paths.resolve(path), f"not valid YAML: {getattr(err, 'problem', err)}",
                            line=None if mark is None else mark.line + 1) from None
    if not isinstance(data, dict):
        raise NotebookError(paths.resolve(path), "expected a mapping of parameter names to values")
    return data


if __name__ == "__main__":
    sys.exit(main())
