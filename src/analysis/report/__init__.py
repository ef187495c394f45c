"""The reviewer's report: every page an editor reads, written from the outputs of the other
notebooks (notebook 90 runs :func:`analysis.report.pages.build`).

- :mod:`~analysis.report.pages`: the index pages (findings first), the annotated article, the claims
  report, the errata letter (Markdown and print-styled HTML) and the rendered METHODS.md, in kk,
  ru and en, from the jinja2 templates of ``templates/``;
- :mod:`~analysis.report.html`: what every page shares (templates, escaping, status symbols);
- :mod:`~analysis.report.article`: the article's text cut into blocks, each checked value located;
- :mod:`~analysis.report.errata`: the errata items and the claims summary (notebook 30 writes them);
- :mod:`~analysis.report.notebooks`: a notebook rendered with its outputs, offline;
- :mod:`~analysis.report.provenance`: how to rerun, and the inputs' fingerprint.

Nothing here imports :mod:`analysis.pipeline`: every function takes plain paths or frames.
"""
