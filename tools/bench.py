"""Benchmark of the reproduction (``make bench``): one run, same machine, ratios reported.

Measures, in this order:
(a) creating the environment from the lock in a fresh folder (uv, its download cache as it is);
(b) ``make reproduce`` from clean outputs (stamps removed), sequential, and (b2) with ``make -j2``;
(c) the floor: the same notebooks reduced to their import lines, through the same runner;
(d) the naive baseline: one ``papermill`` CLI call per notebook, in sequence;
(e) a no-op ``make reproduce``;
(f) the peak memory (max RSS) of each notebook's kernel;
(g) ``make test``.
Times are wall-clock seconds of one run each: the machine is shared and noisy, so read the
ratios, not the third decimal. Nothing here is a test; targets are printed beside the figures.

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

import nbformat
from nbformat.v4 import new_code_cell

from analysis import paths

MAKE_ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
MAXRSS_CELL = "import resource\nprint('MAXRSS_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
README_BEGIN, README_END = "<!-- bench:begin -->", "<!-- bench:end -->"
#: The issue's targets: (b)/(c), (d)/(b), (e), (a)+(b), (f) per notebook, (g); seconds or MB.
TARGETS = {"b/c": ("<=", 1.25), "d/b": (">=", 2.0), "e": ("<=", 1.0), "a+b": ("<=", 60.0), "f": ("<=", 400.0),
           "g": ("<=", 90.0)}


def verdict(key: str, value: float) -> str:
    op, limit = TARGETS[key]
    return "met" if (value <= limit if op == "<=" else value >= limit) else "missed"


def readme_table(run: dict) -> str:
    """The README's benchmark block, from one run's ``build/bench.json`` record."""
    t, memory = run["seconds"], run["memory_mb"]
    def target(key):
        op, limit = TARGETS[key]
        return f"{'≤' if op == '<=' else '≥'} {limit:g}: {verdict(key, value(key))}"
    def value(key):
        return {"b/c": t["b"] / t["c"], "d/b": t["d"] / t["b"], "a+b": t["a"] + t["b"], "f": max(memory.values())}.get(key, t.get(key))
    rows = [
        ("(a) environment from the lock, fresh folder", f"{t['a']:.1f}", ""),
        ("(b) `make reproduce` from clean outputs", f"{t['b']:.1f}", ""),
        ("(b1) the same with `JOBS=1`", f"{t['b1']:.1f}", ""),
        ("(c) floor: the notebooks reduced to their imports, same runners and layers", f"{t['c']:.1f}", ""),
        ("(d) naive: one `papermill` CLI call per notebook, in sequence", f"{t['d']:.1f}", ""),
        ("(e) no-op `make reproduce`", f"{t['e']:.2f}", target("e")),
        ("(a) + (b): fresh environment to all outputs", f"{value('a+b'):.1f}", target("a+b")),
        ("(b)/(c)", f"{value('b/c'):.2f}", target("b/c")),
        ("(d)/(b), (d)/(b1)", f"{value('d/b'):.2f}, {t['d'] / t['b1']:.2f}", target("d/b")),
        ("(f) peak kernel memory per notebook, MB", f"{min(memory.values()):.0f}-{max(memory.values()):.0f}", target("f")),
        ("(g) `make test` (pytest-xdist, 2 workers)", f"{t['g']:.1f}", target("g")),
    ]
    lines = [README_BEGIN, f"A run on {run['date']}: {run['machine']}.", "",
             "| measure | seconds | target |", "| --- | ---: | --- |"]
    lines += [f"| {name} | {number} | {goal} |" for name, number, goal in rows]
    return "\n".join([*lines, README_END])


def record_in_readme(run: dict, readme: Path = paths.PROJECT_ROOT / "README.md") -> None:
    text = readme.read_text(encoding="utf-8")
    begin, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    readme.write_text(text[:begin] + readme_table(run) + text[end:], encoding="utf-8")


def timed(cmd: list[str], cwd: Path = paths.PROJECT_ROOT) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=MAKE_ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def notebooks() -> list[Path]:
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    names = re.search(r"^NOTEBOOKS\s*:=\s*(.*)$", makefile, re.M).group(1).split()
    return [paths.NOTEBOOKS / f"{name}.ipynb" for name in names]


def import_floor(nb_path: Path, out_dir: Path) -> Path:
    """A copy of the notebook with only its parameters and import lines."""
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


def with_maxrss(nb_path: Path, out_dir: Path) -> Path:
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(new_code_cell(MAXRSS_CELL))
    path = out_dir / nb_path.name
    nbformat.write(nb, path)
    return path


def maxrss_mb(executed: Path) -> float:
    nb = nbformat.read(executed, as_version=4)
    text = "".join(o.get("text", "") for o in nb.cells[-1].get("outputs", []))
    return int(re.search(r"MAXRSS_KB (\d+)", text).group(1)) / 1024


def main() -> int:
    python = sys.executable
    venv_bin = Path(python).parent
    nbs = notebooks()
    lock = paths.PROJECT_ROOT / "requirements.lock"
    uv_version = re.search(r"^uv==(\S+)", lock.read_text(encoding="utf-8"), re.M).group(1)
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        print(f"==> (a) environment from the lock in {tmp}/venv", flush=True)
        base = shutil.which("python3.11") or "python3"
        start = time.perf_counter()
        subprocess.run([base, "-m", "venv", str(tmp / "venv")], check=True)
        subprocess.run([str(tmp / "venv/bin/python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                        f"uv=={uv_version}"], check=True, stderr=subprocess.DEVNULL)
        subprocess.run([str(tmp / "venv/bin/uv"), "pip", "sync", "-q", "--python", str(tmp / "venv/bin/python"),
                        "--require-hashes", str(lock)], check=True)
        results["a"] = time.perf_counter() - start

        jobs = os.cpu_count() or 2
        print(f"==> (b) make reproduce from clean outputs (JOBS={jobs})", flush=True)
        shutil.rmtree(paths.PROJECT_ROOT / ".make", ignore_errors=True)
        results["b"] = timed(["make", "reproduce"])
        print("==> (b1) make JOBS=1 reproduce from clean outputs", flush=True)
        shutil.rmtree(paths.PROJECT_ROOT / ".make", ignore_errors=True)
        results["b1"] = timed(["make", "JOBS=1", "reproduce"])

        print("==> (c) floor: the notebooks reduced to their imports, same runners and layers", flush=True)
        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        floors = [import_floor(nb, floor_dir) for nb in nbs]
        quiet = {"check": True, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        start = time.perf_counter()
        subprocess.run([python, "-m", "analysis.pipeline.batch", "--jobs", str(jobs), "--layer", str(floors[0]),
                        "--layer", " ".join(map(str, floors[1:-1])), "--layer", str(floors[-1])], **quiet)
        results["c"] = time.perf_counter() - start

        print("==> (d) naive: one papermill CLI call per notebook, in sequence", flush=True)
        naive_dir = tmp / "naive"
        naive_dir.mkdir()
        start = time.perf_counter()
        for nb in nbs:
            subprocess.run([str(venv_bin / "papermill"), str(nb), str(naive_dir / nb.name), "-k", paths.KERNEL_NAME,
                            "--cwd", str(paths.NOTEBOOKS)], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results["d"] = time.perf_counter() - start

        print("==> (e) no-op make reproduce", flush=True)
        results["e"] = timed(["make", "reproduce"])

        print("==> (f) peak memory of each notebook's kernel", flush=True)
        rss_dir = tmp / "rss"
        rss_dir.mkdir()
        memory = {}
        for nb in nbs:
            source = with_maxrss(nb, rss_dir)
            out = rss_dir / f"out-{nb.name}"
            subprocess.run([python, "-m", "analysis.pipeline.runner", str(source), "-o", str(out), "--no-progress"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            memory[nb.stem] = maxrss_mb(out)

    print("==> (g) make test", flush=True)
    results["g"] = timed(["make", "test"])

    subprocess.run(["git", "status", "--porcelain"], cwd=paths.PROJECT_ROOT, check=True)
    machine = (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
               f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, "
               f"Python {platform.python_version()}, {len(nbs)} notebooks")
    run = {"date": date.today().isoformat(), "machine": machine, "seconds": results, "memory_mb": memory}
    out = paths.PROJECT_ROOT / "build" / "bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")
    print(f"\n{readme_table(run)}\n\n(f) peak kernel memory per notebook, MB (target <= 400)")
    for name, mb in memory.items():
        print(f"{name:<40} {mb:6.0f}  {verdict('f', mb)}")
    record_in_readme(run)
    print(f"\n==> recorded in {paths.shown(out)} and in README.md's benchmark table (commit it to keep it)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
