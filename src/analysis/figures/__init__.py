"""Figures: the article's (:mod:`~analysis.figures.article`) and those of the statistics notebooks
(:mod:`~analysis.figures.disparity`, :mod:`~analysis.figures.shortage`, :mod:`~analysis.figures.trends`),
one look (:mod:`~analysis.figures.style`), one type.

Every figure function takes the data and a language and returns a :class:`Figure`: the
matplotlib figure (no title or notes drawn into it), the table of every number it draws (written
beside it as CSV, because nbval does not compare images), and its caption in that language: the
title, the notes and the source. :meth:`analysis.session.outputs.OutputWriter.add_figures` draws
it in every language and writes PNG, SVG, CSV and the caption file ``<stem>_<lang>.txt``
(:meth:`Figure.caption`), and shows one.

The caption file, UTF-8, one paragraph per line, paragraphs separated by one blank line:

* line 1: the title, without any "Figure N" numbering (the report numbers the figures);
* then the notes, if any, one paragraph each;
* last: the source line, "Source: …; computed by notebooks/<notebook>.ipynb." in the figure's
  language ("Дереккөз: …", "Источник: …").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Figure:
    """A drawn figure: the matplotlib figure, the data it shows, and its caption's parts in the
    figure's language: the title, the notes (paragraphs) and the source (what the numbers come
    from, e.g. "Table 1 of Tamabayeva et al. (2025)"; the writer adds the notebook)."""

    figure: object
    data: pd.DataFrame
    title: str = ""
    notes: list[str] = field(default_factory=list)
    source: str = ""

    def caption(self, lang: str, notebook: str) -> str:
        """The caption file's text in ``lang``: the title, a blank line, the notes as paragraphs,
        the source line last ("Source: <source>; computed by notebooks/<notebook>.")."""
        from analysis.i18n import t

        if not self.title.strip() or not self.source.strip():
            raise ValueError("a figure needs a title and a source for its caption")
        notebook = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
        source = t("figure_source", lang, source=self.source, notebook=f"notebooks/{notebook}")
        paragraphs = [p.strip() for p in (self.title, *self.notes, source)]
        if any("\n" in p or not p for p in paragraphs):
            raise ValueError(f"a caption paragraph is empty or spans lines: {paragraphs!r}")
        return "\n\n".join(paragraphs) + "\n"
