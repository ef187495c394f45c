"""The reviewer's report: ``results/index.html`` (and ``index_kk.html``, ``index_ru.html``), the
annotated article ``results/article.html``, each executed notebook as HTML, the claims pages.

- :mod:`~analysis.report.html`: one set of HTML helpers (the page layout, status symbols, tables, images);
- :mod:`~analysis.report.index`: the sections of the index pages;
  :mod:`~analysis.report.provenance`: how to rerun, and the inputs' fingerprint;
- :mod:`~analysis.report.article`: the article's numbers annotated in place;
- :mod:`~analysis.report.notebooks`: a notebook rendered with its outputs, offline;
- :mod:`~analysis.report.claims`: the claims report page; :mod:`~analysis.report.errata`: the errata
  and the summary of the claims check.

:func:`build` is what notebook 90 runs.
"""

from __future__ import annotations

from pathlib import Path

from analysis.report.index import build_index
from analysis.report.notebooks import NOTEBOOK_CSS, render_notebook


def build(run, notebooks_dir: str | Path, raw_dir: str | Path) -> str:
    """Add every rendered notebook (except the report's own), their shared stylesheet, the three
    editions of the index and the annotated article to the session ``run``; return the English
    index page."""
    from analysis import paths
    from analysis.i18n import LANGUAGES
    from analysis.report.article import build_article
    from analysis.report.html import INDEX

    own = run.step.spec.notebook.name
    notebooks_dir, raw_dir = paths.resolve(notebooks_dir), paths.resolve(raw_dir)
    notebooks = sorted(p for p in notebooks_dir.glob("*.ipynb") if p.name != own)
    stylesheets = set()
    for nb in notebooks:
        page, css = render_notebook(nb)
        stylesheets.add(css)
        run.text(f"notebooks/{nb.stem}.html", page, [nb])
    if len(stylesheets) != 1:
        raise ValueError("the notebooks' template styles differ: they cannot share one stylesheet")
    run.text(f"notebooks/{NOTEBOOK_CSS}", stylesheets.pop(), notebooks)
    run.text("article.html", build_article(run.results_dir, raw_dir))
    pages = {lang: run.text(INDEX[lang], build_index(run.results_dir, run.processed_dir, raw_dir, notebooks,
                                                     notebooks_dir, lang)) for lang in LANGUAGES}
    return pages["en"]
