"""Benchmark of the reproduction (``make bench``): one run, same machine, ratios reported.

The machine may be shared and noisy, so every figure that matters is a ratio of two measurements
taken in this one run, with the seconds beside it. Measured, in this order:

(cold) the newcomer's path: a fresh ``git clone`` of the committed tree, a new ``.venv`` and an
       empty package cache, through ``make reproduce``;
(b)    ``make reproduce`` from clean outputs (no stamps): every step, ``JOBS`` at a time;
(c)    the floor: the same in the fresh clone with every notebook reduced to its parameters and
       imports (what running a step costs before its computation);
(bare) the computation: every notebook's code, in graph order, in one interpreter that has
       already imported everything (one process, one core);
(e)    a no-op ``make reproduce``;
(g)    ``make test``; (h) ``make test-fast``.

A measure that fails is recorded as failed, with its reason, and the others still run. The table
goes to ``build/bench.json`` and into ``docs/maintainers.md`` between the markers; commit it to
keep it. Nothing here is a test.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from analysis import paths
from analysis.fileio import atomic_write_bytes

DOC = paths.PROJECT_ROOT / "docs" / "maintainers.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
JOBS = os.cpu_count() or 2

#: Runs every notebook's code in one interpreter: imports first (not timed), then every code cell,
#: notebook after notebook in the graph's order, each in a namespace of its own. Prints the seconds.
BARE = r"""
import importlib, json, os, sys, time
from IPython.display import display
from analysis import pipeline
from analysis.pipeline.makefile import imported_modules, notebook_code
notebooks = [s.notebook for s in pipeline.steps()]
for name in sorted(set().union(*(imported_modules(notebook_code(nb)) for nb in notebooks))):
    try:
        importlib.import_module(name)
    except ImportError:
        pass  # a name inside a module, not a module
os.chdir(notebooks[0].parent)
out, sys.stdout = sys.stdout, open(os.devnull, "w")
start = time.perf_counter()
for notebook in notebooks:
    namespace = {"__name__": "__main__", "display": display}  # as IPython gives a notebook
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), str(notebook), "exec"), namespace)
print(time.perf_counter() - start, file=out)
"""


def timed(cmd: list[str], cwd: Path = paths.PROJECT_ROOT, env: dict | None = None) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {(done.stderr or done.stdout).strip()[-300:]}")
    return time.perf_counter() - start


def clean_status(cwd: Path) -> bool:
    return subprocess.run(["git", "status", "--porcelain"], cwd=cwd, capture_output=True, text=True).stdout == ""


def without_stamps(root: Path) -> None:
    for stamp in (root / ".make").glob("*"):
        if stamp.name != "steps.mk":
            stamp.unlink()


def floor_notebooks(root: Path) -> None:
    """Reduce every notebook of ``root`` to its parameters cell and its import lines."""
    import nbformat
    from nbformat.v4 import new_code_cell

    for path in (root / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        cells = []
        for cell in (c for c in nb.cells if c.cell_type == "code"):
            if "parameters" in cell.metadata.get("tags", []):
                cells.append(cell)
            elif lines := [ln for ln in cell.source.splitlines() if re.match(r"\s*(import|from)\s+\S+", ln)]:
                cells.append(new_code_cell("\n".join(lines)))
        nb.cells = cells
        nbformat.write(nb, path)


def measure(tmp: Path) -> tuple[dict[str, float], dict[str, str], dict[str, bool]]:
    seconds: dict[str, float] = {}
    failed: dict[str, str] = {}
    identical: dict[str, bool] = {}
    clone = tmp / "fresh clone"

    def attempt(key: str, title: str, run) -> None:
        print(f"==> ({key}) {title}", flush=True)
        try:
            seconds[key] = run()
        except Exception as err:  # recorded, and the other measures still run
            failed[key] = str(err).splitlines()[0][:300] if str(err) else type(err).__name__
            print(f"    failed: {failed[key]}", flush=True)

    def cold() -> float:
        subprocess.run(["git", "clone", "-q", str(paths.PROJECT_ROOT), str(clone)], check=True)
        env = {"UV_CACHE_DIR": str(tmp / "uv-cache"), "PIP_NO_CACHE_DIR": "1", "MPLCONFIGDIR": str(tmp / "mpl")}
        result = timed(["make", "reproduce"], cwd=clone, env=env)
        identical["fresh clone"] = clean_status(clone)
        return result

    def from_clean() -> float:
        without_stamps(paths.PROJECT_ROOT)
        result = timed(["make", "reproduce"])
        identical["from clean outputs"] = clean_status(paths.PROJECT_ROOT)
        return result

    def floor() -> float:
        if not (clone / ".venv").exists():
            raise RuntimeError("needs the fresh clone of (cold)")
        floor_notebooks(clone)
        timed(["make", ".make/steps.mk", "reproduce"], cwd=clone)  # rules for the reduced notebooks, not timed
        without_stamps(clone)
        return timed(["make", "reproduce"], cwd=clone)

    def bare() -> float:
        copy = tmp / "bare"
        subprocess.run(["git", "clone", "-q", str(paths.PROJECT_ROOT), str(copy)], check=True)
        done = subprocess.run([sys.executable, "-c", BARE], cwd=copy, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(copy / "src"), "MPLBACKEND": "Agg"})
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1])
        return float(done.stdout.strip().splitlines()[-1])

    attempt("cold", "fresh clone, new .venv, empty package cache, make reproduce", cold)
    attempt("b", f"make reproduce from clean outputs (JOBS={JOBS})", from_clean)
    attempt("c", "floor: the same with the notebooks reduced to their imports", floor)
    attempt("bare", "the notebooks' code in one already-warm interpreter", bare)
    attempt("e", "no-op make reproduce", lambda: timed(["make", "reproduce"]))
    attempt("g", "make test", lambda: timed(["make", "test"]))
    attempt("h", "make test-fast", lambda: timed(["make", "test-fast"]))
    identical["after make test"] = clean_status(paths.PROJECT_ROOT)
    return seconds, failed, identical


#: The targets: (what, the measured side, the bound's side, comparison).
TARGETS = (
    ("(b) against the floor plus the computation split over the workers", "b", lambda t: 1.25 * (t["c"] + t["bare"] / JOBS),
     "≤ 1.25 × ((c) + (bare)/workers)"),
    ("no-op `make reproduce`", "e", lambda t: 1.0, "≤ 1 s"),
    ("`make test` against (b)", "g", lambda t: 4 * t["b"], "≤ 4 × (b)"),
    ("`make test-fast`", "h", lambda t: 15.0, "< 15 s"),
    ("cold fresh clone against (b)", "cold", lambda t: 1.6 * t["b"], "≤ 1.6 × (b)"),
)
NAMES = {"cold": "cold: fresh clone, new `.venv`, empty package cache, `make reproduce`",
         "b": "(b) `make reproduce` from clean outputs", "c": "(c) floor: notebooks reduced to their imports",
         "bare": "(bare) the notebooks' code in one warm interpreter, one core", "e": "(e) no-op `make reproduce`",
         "g": "(g) `make test`", "h": "(h) `make test-fast`"}


def table(run: dict) -> str:
    """The benchmark block of docs/maintainers.md, from one run's record."""
    t, failed = run["seconds"], run["failed"]
    lines = [BEGIN, f"A run on {run['date']}: {run['machine']}.", "", "| measure | seconds |", "| --- | ---: |"]
    lines += [f"| {NAMES[k]} | {f'{t[k]:.2f}' if k in t else 'failed: ' + failed.get(k, 'not run')} |" for k in NAMES]
    lines += ["", "| target | measured | bound | met |", "| --- | ---: | ---: | --- |"]
    for what, key, bound, text in TARGETS:
        try:
            limit = bound(t)
            lines.append(f"| {what}: {text} | {t[key]:.1f} | {limit:.1f} | {'yes' if t[key] <= limit else 'no'} |")
        except KeyError as missing:
            lines.append(f"| {what}: {text} | | | not measured ({missing.args[0]} failed) |")
    same = run["identical"]
    lines += ["", "Outputs byte-identical after each run (`git status` empty): "
              + ", ".join(f"{k}: {'yes' if v else 'no'}" for k, v in same.items()) + ".", END]
    return "\n".join(lines)


def record(run: dict, doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8")
    begin, end = text.index(BEGIN), text.index(END) + len(END)
    atomic_write_bytes(doc, (text[:begin] + table(run) + text[end:]).encode("utf-8"))


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        seconds, failed, identical = measure(Path(tmp))
    machine = (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
               f"Python {platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end")
    run = {"date": date.today().isoformat(), "machine": machine, "jobs": JOBS, "seconds": seconds,
           "failed": failed, "identical": identical}
    out = paths.PROJECT_ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")
    print(f"\n{table(run)}\n")
    record(run)
    print(f"==> recorded in {paths.shown(out)} and {paths.shown(DOC)}" + (f"; failed: {', '.join(failed)}" if failed else ""))
    shutil.rmtree(paths.PROJECT_ROOT / "build" / "failed", ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
