"""Figures: the article's (:mod:`~analysis.figures.article`) and those of the statistics notebooks
(:mod:`~analysis.figures.disparity`, :mod:`~analysis.figures.shortage`, :mod:`~analysis.figures.trends`),
one look (:mod:`~analysis.figures.style`), one type.

Every figure function takes the data and a language and returns a :class:`Figure`: the
matplotlib figure, the table of every number it draws (written beside it as CSV, because nbval
does not compare images) and its caption. :meth:`analysis.pipeline.outputs.OutputWriter.add_figures`
draws it in every language, writes PNG, SVG and CSV, and shows one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass
class Figure:
    """A drawn figure: the matplotlib figure, the data it shows, its caption."""

    figure: object
    data: pd.DataFrame
    caption: str = ""
