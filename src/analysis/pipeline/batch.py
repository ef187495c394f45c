"""Run notebooks in one process, in layers, ``--jobs`` at a time, each in place.

``python -m analysis.pipeline.batch --jobs 2 --stamps .make notebooks/10_x.ipynb notebooks/11_y.ipynb``
runs the notebooks given, in parallel (``--layer "a b"`` adds a layer). ``make reproduce`` runs
the whole analysis, layer by layer, as the declared graph orders it (:func:`analysis.pipeline.layers`):

``python -m analysis.pipeline.batch --graph --jobs 2 --stamps .make --make make``

Each layer starts once the one before it has finished, and with ``--make`` only its stale
notebooks run: before each layer, make is asked which of their stamps (``<stamps>/<stem>``) are
out of date, so make's graph, not this module, decides, and it decides after the layer before
has run (a cleaning step that wrote identical bytes leaves the later steps up to date). One
process for every layer pays Python's and papermill's start-up once, not once per notebook.

Each notebook is run by :func:`analysis.pipeline.runner.run_notebook` (atomic, deterministic) in
a worker process; a notebook's stamp is touched only after it succeeded, so an interrupted or
failed run is resumed by the next ``make reproduce``. A failed notebook stops the run at the end
of its layer: the other notebooks of that layer finish, later layers do not start.

Notebooks start longest first (the longest-processing-time rule), so that the long statistics
notebooks do not start last and leave one CPU idle at the end. "Longest" is each notebook's
duration in the last run, kept in ``<stamps>/durations.json``; a notebook not timed yet is ranked
by its number of code cells. The order changes only when notebooks run, never what they write.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path

from analysis import paths
from analysis.errors import UserError
from analysis.ingest.rawio import atomic_write_bytes
from analysis.pipeline import kernels
from analysis.pipeline.runner import read_notebook, report_failure, run_notebook

DURATIONS_FILE = "durations.json"


def longest_first(notebooks: list[str], durations: dict[str, float]) -> list[str]:
    """``notebooks`` ordered by last known duration, then by number of code cells, longest first."""
    def cost(notebook: str) -> tuple[float, int]:
        cells = read_notebook(notebook).cells
        return durations.get(Path(notebook).stem, float("inf")), sum(c.cell_type == "code" for c in cells)
    return sorted(notebooks, key=cost, reverse=True)


def schedule(layers: list[list[str]], durations: dict[str, float], jobs: int) -> dict[str, tuple[float, float]]:
    """Each step's estimated (start, end), in seconds from the run's start, when ``layers`` (of step
    names) run as this module runs them: layer after layer, each longest first on ``jobs``
    workers. A step not timed yet is taken to last as long as the longest timed one."""
    default = max(durations.values(), default=1.0)
    out: dict[str, tuple[float, float]] = {}
    now = 0.0
    for layer in layers:
        free = [now] * max(1, jobs)
        for name in sorted(layer, key=lambda n: durations.get(n, default), reverse=True):
            worker = free.index(min(free))
            start = free[worker]
            free[worker] = start + durations.get(name, default)
            out[name] = (start, free[worker])
        now = max(free) if layer else now
    return out


def read_durations(stamps: Path | None) -> dict[str, float]:
    try:
        return json.loads((stamps / DURATIONS_FILE).read_text(encoding="utf-8")) if stamps else {}
    except (OSError, ValueError):  # none yet, or unreadable: rank by code cells
        return {}


def stale(notebooks: list[str], make: str, stamps: str) -> list[str]:
    """The notebooks whose make stamps are out of date, as make's graph says.

    Make is run with ``QUEUE=<file>``: in that mode the stamp rule only appends its notebook to
    the file, so nothing runs and make's own rules decide what is stale. The jobserver of a
    parent ``make -j`` is not passed on (nothing runs in parallel here); its other flags and its
    command-line variables (``make VENV=... reproduce``) are."""
    env = {k: v for k, v in os.environ.items() if k != "MFLAGS"}
    env["MAKEFLAGS"] = re.sub(r"(?<!\S)(-j\d*|--jobserver-\S+)(?!\S)", "", env.get("MAKEFLAGS", ""))
    targets = [f"{stamps}/{Path(nb).stem}" for nb in notebooks]
    with tempfile.TemporaryDirectory(prefix="queue-") as tmp:
        queue = Path(tmp) / "queue"
        queue.touch()
        subprocess.run([*shlex.split(make), "--no-print-directory", f"QUEUE={queue}", *targets],
                       cwd=paths.PROJECT_ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        queued = queue.read_text(encoding="utf-8").split()
    by_stem = {Path(nb).stem: nb for nb in notebooks}
    outside = [q for q in queued if Path(q).stem not in by_stem]
    if outside:
        raise RuntimeError(f"make wants to run {outside} before this layer: run the layers in order")
    return [by_stem[Path(q).stem] for q in queued]


def _run_one(notebook: str, verbose: bool = False) -> tuple[str, float, str | None]:
    start = time.perf_counter()
    print(f"==> running {paths.shown(paths.resolve(notebook))}", flush=True)
    try:
        run_notebook(notebook, progress=False)
    except Exception as err:  # reported by the parent; the other notebooks go on
        return notebook, time.perf_counter() - start, report_failure(notebook, err, verbose)
    return notebook, time.perf_counter() - start, None


def run_layer(pool: Executor, notebooks: list[str], stamps: Path | None, durations: dict[str, float],
              verbose: bool = False) -> list[str]:
    """Run ``notebooks`` on ``pool``, longest first; stamp each success; return the failures."""
    failures = []
    futures = [pool.submit(_run_one, nb, verbose) for nb in longest_first(notebooks, durations)]
    for future in as_completed(futures):
        notebook, seconds, error = future.result()
        durations[Path(notebook).stem] = round(seconds, 1)
        if stamps:
            stamps.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(stamps / DURATIONS_FILE, json.dumps(durations, indent=1, sort_keys=True).encode())
        if error:
            failures.append(notebook)
            print(f"==> FAILED: {paths.shown(paths.resolve(notebook))} after {seconds:.1f} s\n{error}",
                  file=sys.stderr, flush=True)
            continue
        if stamps:
            (stamps / Path(notebook).stem).touch()
        print(f"==> done: {paths.shown(paths.resolve(notebook))} ({seconds:.1f} s)", flush=True)
    return failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="notebooks to run (one layer)")
    parser.add_argument("--layer", action="append", default=[],
                        help="space-separated notebooks forming one layer; layers run in the order given")
    parser.add_argument("--graph", action="store_true",
                        help="run every step of the declared graph (src/analysis/pipeline/steps.yml), layer by layer")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at the same time")
    parser.add_argument("--stamps", help="make's stamp folder: touch <stamps>/<notebook stem> after each success")
    parser.add_argument("--make", help="make command: run only the notebooks whose stamps it finds stale (needs --stamps)")
    parser.add_argument("--verbose", action="store_true", help="also print the traceback of a failure")
    args = parser.parse_args(argv)
    try:
        return _main(args, parser)
    except UserError as err:  # e.g. a notebook that is not a notebook: one message, no traceback
        print(f"==> FAILED: {err}", file=sys.stderr, flush=True)
        return 1


def _main(args, parser) -> int:
    layers = [layer for layer in ([*args.notebooks], *(s.split() for s in args.layer)) if layer]
    if args.graph:
        from analysis import pipeline

        layers += [[paths.shown(pipeline.spec(name).notebook) for name in layer] for layer in pipeline.layers()]
    if not layers:
        parser.error("no notebooks given")
    if args.make and not args.stamps:
        parser.error("--make needs --stamps")
    # Warm kernels: the template starts importing now, beside this process's own start-up; the
    # workers forked below share it (analysis.pipeline.kernels).
    kernels.start_template([nb for layer in layers for nb in layer])
    try:
        return _run_layers(args, layers)
    finally:
        kernels.stop_templates()


def _run_layers(args, layers: list[list[str]]) -> int:
    import papermill  # noqa: F401  imported once here, before the workers are forked

    stamps = paths.resolve(args.stamps) if args.stamps else None
    durations = read_durations(stamps)
    jobs = max(1, min(args.jobs, max(map(len, layers))))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        for layer in layers:
            todo = stale(layer, args.make, args.stamps) if args.make else layer
            if not todo:
                continue
            if len(todo) > 1:
                print(f"==> running {len(todo)} notebook(s), {min(jobs, len(todo))} at a time", flush=True)
            failures = run_layer(pool, todo, stamps, durations, args.verbose)
            if failures:
                print(f"==> {len(failures)} notebook(s) failed; stored notebooks left as they were; "
                      f"partial runs in {paths.shown(paths.FAILED_RUNS)}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
