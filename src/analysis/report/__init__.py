"""The reviewer's report: ``results/index.html``, each executed notebook as HTML, the claims pages.

- :mod:`~analysis.report.html`: one set of HTML helpers (escaping, the stylesheet, tables, images);
- :mod:`~analysis.report.index`: the sections of ``index.html``;
- :mod:`~analysis.report.notebooks`: a notebook rendered with its outputs, offline;
- :mod:`~analysis.report.claims`: the claims report page; :mod:`~analysis.report.errata`: the errata
  and the summary of the claims check.

:func:`build` is what notebook 90 runs.
"""

from __future__ import annotations

from pathlib import Path

from analysis.report.index import build_index
from analysis.report.notebooks import NOTEBOOK_CSS, render_notebook


def build(run, notebooks_dir: str | Path) -> str:
    """Add every rendered notebook (except the report's own), their shared stylesheet and
    ``index.html`` to the session ``run``; return the index page."""
    from analysis import paths

    own = run.step.spec.notebook.name
    notebooks = sorted(p for p in paths.resolve(notebooks_dir).glob("*.ipynb") if p.name != own)
    stylesheets = set()
    for nb in notebooks:
        page, css = render_notebook(nb)
        stylesheets.add(css)
        run.text(f"notebooks/{nb.stem}.html", page, [nb])
    if len(stylesheets) != 1:
        raise ValueError("the notebooks' template styles differ: they cannot share one stylesheet")
    run.text(f"notebooks/{NOTEBOOK_CSS}", stylesheets.pop(), notebooks)
    return run.text("index.html", build_index(run.results_dir, run.processed_dir, notebooks))
