"""Run several notebooks in one process, ``--jobs`` at a time, each in place.

``python -m analysis.batch_runner --jobs 2 --stamps .make notebooks/10_x.ipynb notebooks/11_y.ipynb``

``make reproduce`` uses this for the notebooks between the cleaning step and the report, which
depend only on the cleaning step's outputs: make decides which of them are stale, and this
process runs them, paying Python's and papermill's start-up once instead of once per notebook
and keeping ``--jobs`` kernels busy. Each notebook is run by
:func:`analysis.notebook_runner.run_notebook` (atomic, deterministic); a notebook's make stamp
is touched only after it succeeded, so an interrupted or failed batch is resumed by the next
``make reproduce``.

Notebooks start longest first (the longest-processing-time rule), so that the long statistics
notebooks do not start last and leave one CPU idle at the end. "Longest" is each notebook's
duration in the last run, kept in ``<stamps>/durations.json``; a notebook not timed yet is ranked
by its number of code cells. The order changes only when notebooks run, never what they write.
"""

from __future__ import annotations

import analysis.fastimport  # noqa: F401, I001  first: before nbformat (see that module)
import argparse
import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat

from analysis import paths
from analysis.notebook_runner import run_notebook
from analysis.rawio import atomic_write_bytes

DURATIONS_FILE = "durations.json"


def longest_first(notebooks: list[str], durations: dict[str, float]) -> list[str]:
    """``notebooks`` ordered by last known duration, then by number of code cells, longest first."""
    def cost(notebook: str) -> tuple[float, int]:
        cells = nbformat.read(notebook, as_version=4).cells
        return durations.get(Path(notebook).stem, float("inf")), sum(c.cell_type == "code" for c in cells)
    return sorted(notebooks, key=cost, reverse=True)


def read_durations(stamps: Path | None) -> dict[str, float]:
    try:
        return json.loads((stamps / DURATIONS_FILE).read_text(encoding="utf-8")) if stamps else {}
    except (OSError, ValueError):  # none yet, or unreadable: rank by code cells
        return {}


def _run_one(notebook: str) -> tuple[str, float, str | None]:
    start = time.perf_counter()
    print(f"==> running {paths.shown(paths.resolve(notebook))}", flush=True)
    try:
        run_notebook(notebook, progress=False)
    except Exception as err:  # reported by the parent; the other notebooks go on
        return notebook, time.perf_counter() - start, f"{type(err).__name__}: {str(err)[-2000:]}"
    return notebook, time.perf_counter() - start, None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="+")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks run at the same time")
    parser.add_argument("--stamps", help="make's stamp folder: touch <stamps>/<notebook stem> after each success")
    args = parser.parse_args(argv)
    import papermill  # noqa: F401  imported once here, before the workers are forked

    stamps = paths.resolve(args.stamps) if args.stamps else None
    durations = read_durations(stamps)
    failures = []
    jobs = max(1, min(args.jobs, len(args.notebooks)))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = [pool.submit(_run_one, nb) for nb in longest_first(args.notebooks, durations)]
        for future in as_completed(futures):
            notebook, seconds, error = future.result()
            durations[Path(notebook).stem] = round(seconds, 1)
            if stamps:
                stamps.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(stamps / DURATIONS_FILE, json.dumps(durations, indent=1, sort_keys=True).encode())
            if error:
                failures.append(notebook)
                print(f"==> FAILED: {paths.shown(paths.resolve(notebook))} after {seconds:.1f} s\n{error}", flush=True)
                continue
            if stamps:
                (stamps / Path(notebook).stem).touch()
            print(f"==> done: {paths.shown(paths.resolve(notebook))} ({seconds:.1f} s)", flush=True)
    if failures:
        print(f"==> {len(failures)} notebook(s) failed; stored notebooks left as they were; "
              f"partial runs in {paths.shown(paths.FAILED_RUNS)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
