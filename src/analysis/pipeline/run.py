"""Run one notebook with papermill, deterministically and all or nothing.

``python -m analysis.pipeline.run NOTEBOOK [--into DIR [-p NAME VALUE] [-r NAME VALUE] [-o OUT]] [--year YEAR]``

* papermill executes the notebook on the ``python3`` kernel of this Python (the one every
  installation of ipykernel provides), in the notebook's folder, with matplotlib's ``Agg``
  backend, into a temporary folder, talking to the kernel over IPC sockets (no network needed);
* the notebook hands its outputs to the runner instead of writing them
  (:data:`analysis.fileio.STAGING`); only when the whole notebook has succeeded are
  its outputs, its manifest fragment and the executed notebook, stripped of everything that
  changes from run to run (timings, the Python version), moved into place together. A failed or
  interrupted run changes nothing; the failed notebook is kept under ``build/failed/``.
* with no parameters the run writes into the stored folders (``data/processed``, ``results``,
  the notebook in place), as ``make reproduce`` runs it; a run with other parameters names one
  folder of its own, ``--into DIR`` (outside ``data/``, ``results/``, ``notebooks/``), and writes
  only there: ``DIR/processed``, ``DIR/results``, ``DIR/notebooks``. ``-p NAME VALUE`` reads the
  value as YAML (``2023`` is a number), ``-r NAME VALUE`` keeps it as text. A parameter the
  notebook does not declare, or of another kind than its default, stops the run before anything
  executes.
* ``--year YEAR`` runs a step that takes a year for another year, into ``build/years/<YEAR>/``.

A failure is one message naming the file and where in it (:mod:`analysis.errors`); the
traceback only with ``--verbose`` or ``VERBOSE=1``.
"""

from __future__ import annotations

import signal
import sys

if __name__ == "__main__":  # Ctrl-C while the imports below run: one line, no traceback
    signal.signal(signal.SIGINT, lambda *_: sys.exit("==> interrupted before the run started; nothing was written"))

import argparse  # noqa: E402  after the Ctrl-C handler above
import ast  # noqa: E402  after the Ctrl-C handler
import os  # noqa: E402  after the Ctrl-C handler
import re  # noqa: E402  after the Ctrl-C handler
import tempfile  # noqa: E402  after the Ctrl-C handler
import time  # noqa: E402  after the Ctrl-C handler
from contextlib import contextmanager  # noqa: E402  after the Ctrl-C handler
from pathlib import Path  # noqa: E402  after the Ctrl-C handler

import nbformat  # noqa: E402  after the Ctrl-C handler
import yaml  # noqa: E402  after the Ctrl-C handler

from analysis import paths  # noqa: E402  after the Ctrl-C handler
from analysis.errors import NotebookError, OutputError, UserError, os_error  # noqa: E402  after the Ctrl-C handler
from analysis.fileio import STAGING, commit_all, staged  # noqa: E402  after the Ctrl-C handler
from analysis.pipeline import refuse_a_foreign_project  # noqa: E402  after the Ctrl-C handler

#: The kernel every notebook names: the one ipykernel provides in any environment it is installed in.
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
#: The kernel logs nothing a reader of the run can act on (its errors reach the runner as messages).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
#: Notebook-level metadata that changes from run to run, or from machine to machine.
VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets")
#: Cell-level metadata that changes from run to run.
VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")
#: The errors a user causes, by name (a kernel reports its error by name): shown as they are.
USER_ERRORS = ("UserError", "RawDataError", "OutputError", "NotebookError", "RegistryError")
#: Longest message shown for an unexpected error (its beginning: the part that names the problem).
UNEXPECTED_CHARS = 2000
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def strip_volatile(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove timings, run records, random ids and the Python version, so that a re-run under any
    supported Python writes the same bytes."""
    for key in VOLATILE_NOTEBOOK_KEYS:
        nb.metadata.pop(key, None)
    nb.metadata["kernelspec"] = dict(KERNEL)
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        for key in VOLATILE_CELL_KEYS:
            cell.metadata.pop(key, None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id on every run
        if cell.cell_type == "code":
            cell.outputs = coalesce_streams(cell.outputs)
    return nb


def coalesce_streams(outputs: list) -> list:
    """Merge adjacent outputs of the same stream: the kernel may deliver one ``print`` in one
    message or in several."""
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
        detail = ("not valid JSON: truncated or damaged" if type(err).__name__ in ("NotJSONError", "JSONDecodeError")
                  else f"{type(err).__name__}: {str(err).splitlines()[0][:200] if str(err) else ''}")
        raise NotebookError(notebook, f"not a readable notebook ({detail}); restore it "
                            "from git or save it again from JupyterLab") from None


def notebook_parameters(nb: nbformat.NotebookNode) -> dict[str, object]:
    """The defaults of the notebook's ``parameters`` cell (plain literals, by design)."""
    cell = next((c for c in nb.cells if "parameters" in c.metadata.get("tags", [])), None)
    out: dict[str, object] = {}
    for node in ast.parse(cell.source).body if cell else []:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def _kind(value) -> str:
    kinds = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}
    return kinds.get(type(value), type(value).__name__)


def _fits(default, value) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return default is None or isinstance(value, type(default))


def check_parameters(notebook: Path, nb: nbformat.NotebookNode, given: dict) -> None:
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


#: The stored folders: a run with other parameters never writes into them.
STORED = ("data", "results", "notebooks", "src")


def _written_roots(notebook: Path) -> set[str]:
    """The roots (``processed``, ``results``) a notebook's step writes into (results for a
    notebook that is not a declared step)."""
    from analysis import pipeline

    try:
        writes = pipeline.spec(notebook.stem).writes
    except UserError:
        return {"results"}
    return {w.partition("/")[0] for w in writes}


def plan(notebook: Path, nb: nbformat.NotebookNode, parameters: dict, output: str | Path | None,
         into: str | Path | None, year: int | None) -> tuple[dict, Path]:
    """The parameters and the executed notebook's path of a run, checked: a run with no
    parameters writes into the stored folders; any other run writes only into ``into`` (one
    folder outside the stored ones), every folder it writes in there. ``year``: into
    ``build/years/<year>``, reading that year's processed tables from there."""
    from analysis.pipeline import ROOTS

    declared = notebook_parameters(nb)
    if year is not None:
        if "year" not in declared:
            raise NotebookError(notebook, "does not take a year", item="--year")
        into, parameters = paths.year_folders(year)["processed"].parent, {"year": year, **parameters}
    if into is None:
        if parameters or output is not None:
            item = f"parameter '{next(iter(parameters))}'" if parameters else "-o"
            raise NotebookError(notebook, "a run into the stored folders takes the notebook's own parameters and place; "
                                f"to run with other values, name a folder of your own: python -m analysis.pipeline.run "
                                f"{paths.shown(notebook)} --into build/by-hand ...", item=item)
        return {}, notebook
    into = paths.resolve(into).resolve()
    stored = [paths.PROJECT_ROOT / name for name in STORED]
    if into == paths.PROJECT_ROOT or any(into.is_relative_to(s) or s.is_relative_to(into) for s in stored):
        raise NotebookError(notebook, f"{paths.shown(into)} is or holds a stored folder ({', '.join(f'{s}/' for s in STORED)}); "
                            "name a folder of its own, such as build/by-hand", item="--into")
    # every step writes its manifest fragment into its results folder
    written = _written_roots(notebook) | {"results"} | ({"processed"} if year is not None else set())
    for root in written & {"processed", "results"}:
        name = ROOTS[root][0]
        if name in parameters and not paths.resolve(parameters[name]).resolve().is_relative_to(into):
            raise NotebookError(notebook, f"this step writes into {parameters[name]}, which is outside "
                                f"--into {paths.shown(into)}; every folder a run writes lies inside it", item=f"parameter '{name}'")
        if name in declared:
            parameters.setdefault(name, paths.shown(into / root))
    output = paths.resolve(output) if output is not None else into / "notebooks" / notebook.name
    if not output.resolve().is_relative_to(into):
        raise NotebookError(notebook, f"the executed notebook would go to {paths.shown(output)}, outside --into "
                            f"{paths.shown(into)}", item="-o")
    return parameters, output


def failure_message(err: BaseException) -> tuple[str, str]:
    """(the one message to show, the traceback) of a failed run: an error the user caused names
    the file and where, as it is; anything else as ``Name: message``, its beginning if very long."""
    ename = getattr(err, "ename", None)
    if ename is not None:  # papermill's PapermillExecutionError: the kernel's error
        evalue = str(getattr(err, "evalue", ""))
        trace = _ANSI.sub("", "\n".join(getattr(err, "traceback", []) or []))
        user = ename in USER_ERRORS
    else:
        import traceback

        ename, evalue, user = type(err).__name__, str(err), isinstance(err, UserError)
        trace = "".join(traceback.format_exception(err))
    if user:
        return evalue, trace
    text = f"{ename}: {evalue}"
    if len(text) > UNEXPECTED_CHARS:
        text = text[:UNEXPECTED_CHARS] + f" [... {len(text) - UNEXPECTED_CHARS} more characters]"
    return text, trace


def run_notebook(notebook: str | Path, output: str | Path | None = None, parameters: dict | None = None) -> Path:
    """Execute ``notebook`` and store it, with its outputs, at ``output`` (default: in place).

    On failure nothing is written; the partial run is kept under ``build/failed/``.
    """
    notebook = paths.resolve(notebook)
    output = paths.resolve(output) if output else notebook
    parameters = parameters or {}
    check_parameters(notebook, read_notebook(notebook), parameters)
    with temporary_folder() as tmp:
        executed, staging = tmp / notebook.name, tmp / "outputs"
        staging.mkdir()
        environment = kernel_environment(tmp, staging)
        saved = {k: os.environ.get(k) for k in environment}
        os.environ.update(environment)  # the kernel inherits this process's environment
        try:
            import papermill as pm  # here: slow to import, and reads IPython's folder (set above) when imported

            pm.execute_notebook(str(notebook), str(executed), parameters=parameters, kernel_name=KERNEL["name"],
                                cwd=str(notebook.parent), progress_bar=False, request_save_on_cell_execute=False,
                                extra_arguments=KERNEL_ARGUMENTS, config=ipc_config(tmp))
        except BaseException as err:
            keep_failed(executed, err)
            if isinstance(err, OSError) and err.errno is not None:  # writing the run's files into TMPDIR
                full = os_error(tmp.parent, err, consequence="free space there, or set TMPDIR to another folder")
                full.failed_run = getattr(err, "failed_run", None)
                raise full from None
            raise
        finally:
            for key, value in saved.items():
                os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
        files, remove = staged(staging)
        files[output] = notebook_bytes(strip_volatile(nbformat.read(executed, as_version=4)))
        commit_all(files, remove=remove)
    return output


@contextmanager
def temporary_folder():
    """A temporary folder for one run (TMPDIR's), or one message naming TMPDIR if none can be made."""
    try:
        folder = tempfile.TemporaryDirectory(prefix="nbrun-")
    except OSError as err:
        raise OutputError(Path(tempfile.gettempdir()), f"cannot make a temporary folder: {err.strerror}; free space "
                          "there, or set TMPDIR to another folder") from None
    with folder as path:
        yield Path(path)


def kernel_environment(tmp: Path, staging: Path) -> dict[str, str]:
    """What the kernel runs with: outputs handed to the runner, matplotlib's Agg backend, Jupyter's
    runtime files in the run's folder, and IPython's and matplotlib's folders there too when the
    home folder cannot be written (HOME=/dev/null)."""
    env = {STAGING: str(staging), "MPLBACKEND": "Agg", "JUPYTER_RUNTIME_DIR": str(tmp / "runtime")}
    if not (Path.home().is_dir() and os.access(Path.home(), os.W_OK)):
        env |= {"IPYTHONDIR": str(tmp / "ipython"), "MPLCONFIGDIR": str(tmp / "matplotlib")}
    return env


def ipc_config(folder: Path):
    """Talk to the kernel over IPC sockets in ``folder``, not TCP: nothing listens on the network,
    and a run works where there is none (not even loopback)."""
    from traitlets.config import Config

    return Config({"KernelManager": {"transport": "ipc", "ip": str(folder / "kernel")}})


def keep_failed(executed: Path, err: BaseException) -> None:
    """Keep a failed run's partial notebook under ``build/failed/`` (the runner says where)."""
    if executed.exists():
        kept = paths.FAILED_RUNS / executed.name
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.write_bytes(executed.read_bytes())
            err.failed_run = kept
        except OSError:
            pass  # a full disk must not hide the notebook's own error


def report_failure(notebook: str | Path, err: BaseException, verbose: bool = False) -> str:
    """What the runner prints when a notebook fails: the message first, then where things are."""
    message, trace = failure_message(err)
    failed = getattr(err, "failed_run", None)
    lines = [message, *([trace] if verbose and trace else [])]
    lines.append("    (nothing was written" + (f"; the failed run is in {paths.shown(failed)}" if failed else "")
                 + ("" if verbose else "; VERBOSE=1 shows the traceback") + ")")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m analysis.pipeline.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("notebook")
    parser.add_argument("--into", help="run with other parameters into this folder (its processed/, results/, notebooks/)")
    parser.add_argument("--year", type=int, help="run for another year, into build/years/<YEAR>/")
    parser.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter, its value read as YAML (2023 -> a number); needs --into")
    parser.add_argument("-r", "--raw", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a parameter kept as text; needs --into")
    parser.add_argument("-o", "--output", help="where the executed notebook goes (inside --into)")
    parser.add_argument("--verbose", action="store_true", default=bool(os.environ.get("VERBOSE")),
                        help="also print the traceback of a failure")
    return parser.parse_args(argv)


def prepare(args: argparse.Namespace) -> tuple[Path, dict, Path]:
    """The notebook, its parameters and where the executed notebook goes, every check made."""
    refuse_a_foreign_project("this Python")
    notebook = paths.resolve(args.notebook)
    parameters = {k: yaml.safe_load(v) for k, v in args.parameter}
    parameters.update(dict(args.raw))
    nb = read_notebook(notebook)
    check_parameters(notebook, nb, parameters)
    parameters, output = plan(notebook, nb, parameters, args.output, args.into, args.year)
    return notebook, parameters, output


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGINT, signal.default_int_handler)  # from here, Ctrl-C is handled below
    args = parse_args(argv)
    start = time.perf_counter()
    shown = paths.shown(paths.resolve(args.notebook))
    try:
        notebook, parameters, output = prepare(args)
        print(f"==> running {shown}" + (f" with {parameters}" if parameters else ""), flush=True)
        written = run_notebook(notebook, output, parameters)
    except KeyboardInterrupt:
        print(f"==> interrupted: {shown}; nothing of it was written", file=sys.stderr, flush=True)
        return 130
    except Exception as err:
        print(f"==> FAILED: {shown}\n{report_failure(args.notebook, err, args.verbose)}", file=sys.stderr, flush=True)
        return 1
    print(f"==> done: {paths.shown(written)} ({time.perf_counter() - start:.1f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
