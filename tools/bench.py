"""Benchmark of the reproduction (``make bench``): one run, same machine, ratios reported.

The machine is shared and noisy (other work uses the same cores), so every figure that matters is
a ratio of two measurements taken in this one run, with the absolute seconds beside it. Measured,
in this order:

(cold) the newcomer's path, the headline: a fresh ``git clone`` of the committed tree, a new
       ``.venv`` and an empty package cache (``UV_CACHE_DIR`` and pip's cache empty, matplotlib's
       font cache empty) through ``make reproduce``;
(bp)   ``make reproduce`` from clean outputs (stamps removed), ordinary kernels (``KERNELS=plain``);
(b)    the same with warm kernels (``KERNELS=warm``);
(c)    the floor: the notebooks reduced to their parameters and imports, through the same runner
       and layers (warm kernels);
(bare) the bare computation: every notebook's code, in graph order, in one interpreter that has
       already imported everything (one process, one core; in a copy of the tree);
(d)    the naive baseline: one ``papermill`` CLI call per notebook, in sequence;
(e)    a no-op ``make reproduce``;
(g)    ``make test``;
(h)    ``make test-fast``.
After (b) and (bp), ``git status`` must be empty: outputs byte-identical with either kernel kind.
Nothing here is a test; the issue's targets are printed beside the figures.

The numbers go to ``build/bench.json`` and into the README's benchmark table (between the
``<!-- bench:begin -->`` and ``<!-- bench:end -->`` markers), so the README quotes a run, not
numbers typed by hand; commit the README to record a new run.
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

README_BEGIN, README_END = "<!-- bench:begin -->", "<!-- bench:end -->"
#: The targets (issues 9 and 14): ratio or seconds, comparison, limit.
TARGETS = {"g/b": ("<=", 1.5), "b/bp": ("<=", 0.5), "d/b": (">=", 4.0), "b/c": ("<=", 1.25),
           "cold/b": ("<=", 1.3), "e": ("<=", 1.0), "h": ("<=", 15.0)}

#: Runs the notebooks' code in one interpreter: imports first (not timed), then every code cell of
#: every notebook, in graph order, each notebook in a namespace of its own. Prints the seconds.
BARE = r"""
import json, os, sys, time
from analysis.pipeline.kernel_template import preload, preload_modules
from analysis import pipeline
preload(preload_modules())
notebooks = [pipeline.spec(name).notebook for layer in pipeline.layers() for name in layer]
os.chdir(notebooks[0].parent)
out = sys.stdout
sys.stdout = open(os.devnull, "w")
start = time.perf_counter()
for notebook in notebooks:
    cells = [c for c in json.loads(notebook.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    namespace = {"__name__": "__main__"}
    for cell in cells:
        exec(compile("".join(cell["source"]), str(notebook), "exec"), namespace)
print(time.perf_counter() - start, file=out)
"""


def verdict(key: str, value: float) -> str:
    op, limit = TARGETS[key]
    return "met" if (value <= limit if op == "<=" else value >= limit) else "missed"


def ratios(t: dict[str, float]) -> dict[str, float]:
    return {"g/b": t["g"] / t["b"], "b/bp": t["b"] / t["bp"], "d/b": t["d"] / t["b"], "b/c": t["b"] / t["c"],
            "cold/b": t["cold"] / t["b"], "c/bare": t["c"] / t["bare"], "b/bare": t["b"] / t["bare"],
            "e": t["e"], "h": t["h"]}


def readme_table(run: dict) -> str:
    """The README's benchmark block, from one run's ``build/bench.json`` record."""
    t, r = run["seconds"], ratios(run["seconds"])

    def target(key: str) -> str:
        op, limit = TARGETS[key]
        return f"{'≤' if op == '<=' else '≥'} {limit:g}: {verdict(key, r[key])}"

    identical = run["identical"]
    jobs = run.get("jobs", 2)
    least = t["c"] + t["bare"] / jobs  # the floor's work plus the computation split evenly over the workers
    rows = [
        ("cold: fresh clone, new `.venv`, empty package caches, `make reproduce`", f"{t['cold']:.1f}", "", ""),
        ("(b) `make reproduce` from clean outputs, warm kernels", f"{t['b']:.1f}", "", ""),
        ("(bp) the same with ordinary kernels (`KERNELS=plain`)", f"{t['bp']:.1f}", "", ""),
        ("(c) floor: the notebooks reduced to their imports, same runner and layers", f"{t['c']:.1f}", "", ""),
        ("(bare) the notebooks' code in one already-warm interpreter (one core)", f"{t['bare']:.1f}", "", ""),
        ("(d) naive: one `papermill` CLI call per notebook, in sequence", f"{t['d']:.1f}", "", ""),
        ("(g) `make test`", f"{t['g']:.1f}", "", ""),
        ("**cold / (b)**", f"{t['cold']:.1f} / {t['b']:.1f}", f"{r['cold/b']:.2f}", target("cold/b")),
        ("(g)/(b)", f"{t['g']:.1f} / {t['b']:.1f}", f"{r['g/b']:.2f}", target("g/b")),
        ("(b)/(bp): warm against ordinary kernels", f"{t['b']:.1f} / {t['bp']:.1f}", f"{r['b/bp']:.2f}", target("b/bp")),
        ("(d)/(b)", f"{t['d']:.1f} / {t['b']:.1f}", f"{r['d/b']:.2f}", target("d/b")),
        ("(b)/(c)", f"{t['b']:.1f} / {t['c']:.1f}", f"{r['b/c']:.2f}", target("b/c")),
        ("(c)/(bare): the floor against the bare computation", f"{t['c']:.1f} / {t['bare']:.1f}", f"{r['c/bare']:.2f}", ""),
        ("(b)/(bare)", f"{t['b']:.1f} / {t['bare']:.1f}", f"{r['b/bare']:.2f}", ""),
        (f"(c) + (bare)/{jobs}: roughly the least (b) can be on {jobs} workers", f"{least:.1f}", "", ""),
        ("(b)/(c) at best: ((c) + (bare)/workers) / (c)", f"{least:.1f} / {t['c']:.1f}", f"{least / t['c']:.2f}", ""),
        ("(d)/(b) at best: (d) / ((c) + (bare)/workers)", f"{t['d']:.1f} / {least:.1f}", f"{t['d'] / least:.2f}", ""),
        ("outputs byte-identical with warm and with ordinary kernels", "", "yes" if all(identical.values()) else
         "no: " + ", ".join(k for k, v in identical.items() if not v), "required: " + ("met" if all(identical.values()) else "missed")),
        ("(e) no-op `make reproduce`", f"{t['e']:.2f}", "", target("e")),
        ("(h) `make test-fast`", f"{t['h']:.1f}", "", target("h")),
    ]
    lines = [README_BEGIN, f"A run on {run['date']}: {run['machine']}.", "",
             "| measure | seconds | ratio | target |", "| --- | ---: | ---: | --- |"]
    lines += [f"| {name} | {seconds} | {ratio} | {goal} |" for name, seconds, ratio, goal in rows]
    return "\n".join([*lines, README_END])


def record_in_readme(run: dict, readme: Path = paths.PROJECT_ROOT / "README.md") -> None:
    text = readme.read_text(encoding="utf-8")
    begin, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    readme.write_text(text[:begin] + readme_table(run) + text[end:], encoding="utf-8")


def timed(cmd: list[str], cwd: Path = paths.PROJECT_ROOT, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def clean_status(cwd: Path = paths.PROJECT_ROOT) -> bool:
    return subprocess.run(["git", "status", "--porcelain"], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout == ""


def notebooks() -> list[Path]:
    from analysis import pipeline

    return [pipeline.spec(name).notebook for layer in pipeline.layers() for name in layer]


def import_floor(nb_path: Path, out_dir: Path) -> Path:
    """A copy of the notebook with only its parameters and import lines."""
    import nbformat
    from nbformat.v4 import new_code_cell

    nb = nbformat.read(nb_path, as_version=4)
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if "parameters" in cell.metadata.get("tags", []):
            cells.append(cell)
            continue
        lines = [ln for ln in cell.source.splitlines() if re.match(r"\s*(import|from)\s+\S+", ln)]
        if lines:
            cells.append(new_code_cell("\n".join(lines)))
    nb.cells = cells
    path = out_dir / nb_path.name
    nbformat.write(nb, path)
    return path


def reproduce_from_clean(kind: str) -> tuple[float, bool]:
    shutil.rmtree(paths.PROJECT_ROOT / ".make", ignore_errors=True)
    seconds = timed(["make", f"KERNELS={kind}", "reproduce"])
    return seconds, clean_status()


def cold(tmp: Path) -> tuple[float, bool]:
    """Fresh clone of the committed tree, new .venv, empty caches, ``make reproduce``."""
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "-q", str(paths.PROJECT_ROOT), str(clone)], check=True)
    for folder in ("uv-cache", "mpl-config"):
        (tmp / folder).mkdir()
    env = {"UV_CACHE_DIR": str(tmp / "uv-cache"), "PIP_NO_CACHE_DIR": "1", "MPLCONFIGDIR": str(tmp / "mpl-config")}
    return timed(["make", "reproduce"], cwd=clone, env=env), clean_status(clone)


def main() -> int:
    python = sys.executable
    venv_bin = Path(python).parent
    nbs = notebooks()
    t: dict[str, float] = {}
    identical: dict[str, bool] = {}
    jobs = os.cpu_count() or 2
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        print("==> cold: fresh clone, new .venv, empty caches, make reproduce", flush=True)
        t["cold"], identical["fresh clone"] = cold(tmp)

        # Ordinary kernels first: the warm run then leaves its step durations in .make/durations.json,
        # from which make test's interruption test chooses its kill points.
        print(f"==> (bp) make reproduce from clean outputs, ordinary kernels (JOBS={jobs})", flush=True)
        t["bp"], identical["ordinary kernels"] = reproduce_from_clean("plain")
        print("==> (b) the same, warm kernels", flush=True)
        t["b"], identical["warm kernels"] = reproduce_from_clean("warm")

        print("==> (c) floor: the notebooks reduced to their imports, same runner and layers", flush=True)
        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        from analysis import pipeline

        layer_args = []
        for layer in pipeline.layers():
            layer_args += ["--layer", " ".join(str(import_floor(pipeline.spec(n).notebook, floor_dir)) for n in layer)]
        t["c"] = timed([python, "-m", "analysis.pipeline.batch", "--jobs", str(jobs), *layer_args],
                       env={"KERNELS": "warm"})

        print("==> (bare) the notebooks' code in one already-warm interpreter", flush=True)
        copy = tmp / "bare"
        subprocess.run(["git", "clone", "-q", str(paths.PROJECT_ROOT), str(copy)], check=True)
        bare = subprocess.run([python, "-c", BARE], cwd=copy, check=True, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(copy / "src"), "MPLBACKEND": "Agg"})
        t["bare"] = float(bare.stdout.strip().splitlines()[-1])

        print("==> (d) naive: one papermill CLI call per notebook, in sequence", flush=True)
        naive_dir = tmp / "naive"
        naive_dir.mkdir()
        start = time.perf_counter()
        for nb in nbs:
            subprocess.run([str(venv_bin / "papermill"), str(nb), str(naive_dir / nb.name), "-k", paths.KERNEL_NAME,
                            "--cwd", str(paths.NOTEBOOKS)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t["d"] = time.perf_counter() - start

        print("==> (e) no-op make reproduce", flush=True)
        t["e"] = timed(["make", "reproduce"])

    print("==> (g) make test", flush=True)
    t["g"] = timed(["make", "test"])
    print("==> (h) make test-fast", flush=True)
    t["h"] = timed(["make", "test-fast"])
    identical["after make test"] = clean_status()

    machine = (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
               f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
               f"Python {platform.python_version()}, {len(nbs)} notebooks, "
               f"load average {os.getloadavg()[0]:.1f} at the end")
    run = {"date": date.today().isoformat(), "machine": machine, "jobs": jobs, "seconds": t, "identical": identical}
    out = paths.PROJECT_ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")
    print(f"\n{readme_table(run)}\n")
    record_in_readme(run)
    print(f"==> recorded in {paths.shown(out)} and in README.md's benchmark table (commit it to keep it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
