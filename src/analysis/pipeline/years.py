"""Another year's extract, run into folders of its own: ``make reproduce YEAR=2024``.

The stored outputs (``data/processed``, ``results``, ``notebooks``) hold the article's year
(:data:`analysis.paths.ARTICLE_YEAR`). Another year's raw files sit beside the article's in
``data/raw`` (``table1_preschools_2024.csv``, ...), registered in ``data/datapackage.json``
(``make register-year YEAR=2024`` copies the previous year's schemas and records the hashes; review
the provenance it marks, then commit). ``python -m analysis.pipeline.years run 2024`` then runs every
notebook that takes a year (:data:`YEAR_LAYERS`) into ``build/years/2024/``:

* ``processed/``: the cleaned tables of that year;
* ``results/``: its tables, figures and statistics, with their manifest fragments;
* ``notebooks/``: the executed notebooks.

Nothing in the stored outputs is read for writing or touched: every output writer of such a run
writes inside ``build/years/<year>/`` (see :class:`analysis.pipeline.outputs.OutputWriter`), and
``build/`` is not tracked, so ``git status`` stays empty. The claims check, the trends of the
supplementary series and the report are about the article and run for its year only.
"""

from __future__ import annotations

import argparse
import multiprocessing
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from analysis import paths
from analysis.errors import UserError

#: The notebooks that take a ``year``, in layers (each layer reads only what the ones before wrote).
YEAR_LAYERS = (
    ("00_clean_extracts",),
    ("10_table1_preschools", "11_table2_teacher_shortage", "20_figure1_special_organisations",
     "21_figure2_inclusive_schools", "22_figure3_tvet_students", "23_map_preschool_inclusion",
     "24_dotplot_preschool_inclusion", "40_regional_disparity", "41_teacher_shortage"),
)


def folders(year: int) -> dict[str, Path]:
    root = paths.YEARS / str(year)
    return {"root": root, "processed": root / "processed", "results": root / "results", "notebooks": root / "notebooks"}


def parameters(notebook: str, year: int) -> dict:
    """The parameters a notebook gets for ``year`` (only those it declares)."""
    from analysis.pipeline.runner import notebook_parameters, read_notebook

    where = folders(year)
    offered = {"year": year, "processed_dir": str(where["processed"]), "results_dir": str(where["results"])}
    declared = notebook_parameters(read_notebook(paths.NOTEBOOKS / f"{notebook}.ipynb"))
    return {name: value for name, value in offered.items() if name in declared}


def _run(notebook: str, year: int, verbose: bool) -> tuple[str, str | None]:
    from analysis.pipeline.runner import report_failure, run_notebook

    output = folders(year)["notebooks"] / f"{notebook}.ipynb"
    print(f"==> running {notebook} for {year} -> {paths.shown(output)}", flush=True)
    try:
        run_notebook(paths.NOTEBOOKS / f"{notebook}.ipynb", output, parameters(notebook, year), progress=False)
    except Exception as err:
        return notebook, report_failure(paths.NOTEBOOKS / f"{notebook}.ipynb", err, verbose, output)
    return notebook, None


def run(year: int, jobs: int = 2, verbose: bool = False) -> int:
    if year == paths.ARTICLE_YEAR:
        print(f"==> {year} is the article's year: its outputs are the stored ones (make reproduce)", flush=True)
        return subprocess.run(["make", "--no-print-directory", "reproduce", "YEAR="], cwd=paths.PROJECT_ROOT).returncode
    for folder in folders(year).values():
        folder.mkdir(parents=True, exist_ok=True)
    from analysis.pipeline import kernels

    # warm kernels: one template, shared by the workers forked below
    kernels.start_template([paths.NOTEBOOKS / f"{nb}.ipynb" for layer in YEAR_LAYERS for nb in layer])
    try:
        import papermill  # noqa: F401  imported once, before the workers are forked

        with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=multiprocessing.get_context("fork")) as pool:
            for layer in YEAR_LAYERS:
                failures = [(nb, err) for nb, err in pool.map(_run, layer, [year] * len(layer), [verbose] * len(layer)) if err]
                for notebook, error in failures:
                    print(f"==> FAILED: {notebook} for {year}\n{error}", file=sys.stderr, flush=True)
                if failures:
                    return 1
    finally:
        kernels.stop_templates()
    print(f"==> {year}: every notebook that takes a year ran into {paths.shown(folders(year)['root'])}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    runner = sub.add_parser("run", help="run every notebook that takes a year into build/years/<year>")
    runner.add_argument("year", type=int)
    runner.add_argument("--jobs", type=int, default=2)
    runner.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    try:
        return run(args.year, args.jobs, args.verbose)
    except UserError as err:
        print(f"==> FAILED: {err}", file=sys.stderr, flush=True)
        return 1


if __name__ == "__main__":
    sys.exit(main())
