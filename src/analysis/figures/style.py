"""One look for every figure, with a font that covers Kazakh (ә ғ қ ң ө ұ ү һ і), at journal sizes.

DejaVu Sans ships with matplotlib and covers Cyrillic including the Kazakh letters; using the
bundled font (not a system font) also keeps figures identical across machines.

Journal sizes: every figure is one column (3.5 in) or two columns (7 in) wide, drawn at its final
size (:func:`new_figure`, constrained layout, no ``bbox_inches="tight"`` that would change the
width), with no text smaller than :data:`MIN_FONT_SIZE` pt. Numbers on the axes are written the
way the figure's language writes them (:func:`localise_numbers`: decimal comma in Kazakh and
Russian, thousands grouped by a space, the minus sign U+2212).
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.ticker import Formatter

#: The letters of the Kazakh alphabet outside Russian Cyrillic (lower and upper case).
KAZAKH_LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"
FONT = "DejaVu Sans"
#: Colour-blind-safe palette (Okabe & Ito 2008), in order of use.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
#: Roles in the statistics figures: the regions, the three cities, limits, the national value.
REGION_COLOUR, CITY_COLOUR, LIMIT_COLOUR, ACCENT = PALETTE[0], PALETTE[3], "#555555", PALETTE[1]
#: Marker of each kind of unit (regions and cities of republican significance).
TYPE_MARKERS = {"region": "o", "city": "s"}
TYPE_COLOURS = {"region": REGION_COLOUR, "city": CITY_COLOUR}

#: Widths of a journal figure, inches: one column, two columns (the whole text width).
COLUMN_WIDTH, PAGE_WIDTH = 3.5, 7.0
WIDTHS = {"column": COLUMN_WIDTH, "page": PAGE_WIDTH}
#: The smallest text a figure may hold at its final size, pt.
MIN_FONT_SIZE = 7

STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 8,
    "axes.titlesize": 8,
    "axes.labelsize": 8,
    "xtick.labelsize": 7,
    "ytick.labelsize": 7,
    "legend.fontsize": 7,
    "legend.title_fontsize": 7,
    "figure.titlesize": 8,
    "axes.titlelocation": "left",
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "lines.linewidth": 1.0,
    "lines.markersize": 4,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "figure.dpi": 100,
    "savefig.dpi": 300,
    "svg.hashsalt": "kz-inclusive-education",
    "svg.fonttype": "none",
    "pdf.fonttype": 42,
    "axes.unicode_minus": True,
}


def use_style() -> None:
    """Apply the compendium's style to matplotlib's global settings (seaborn draws with them)."""
    mpl.rcParams.update(STYLE)


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters (titles and long axis labels)."""
    import textwrap

    return textwrap.fill(text, width=width, break_long_words=False, break_on_hyphens=False)


def new_figure(width: str, height: float, nrows: int = 1, ncols: int = 1, **subplots):
    """A figure of a journal width (``"column"``: 3.5 in, ``"page"``: 7 in) and ``height`` inches,
    laid out by matplotlib's constrained layout so that every label fits inside that size."""
    import matplotlib.pyplot as plt

    return plt.subplots(nrows, ncols, figsize=(WIDTHS[width], height), layout="constrained", **subplots)


class NumberFormatter(Formatter):
    """Tick labels in a language: as few decimals as the ticks need (the same for every tick of
    the axis), the language's decimal separator, thousands grouped by a space, the minus sign."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    @staticmethod
    def digits(values) -> int:
        """The fewest decimals (at most 6) that write every value exactly."""
        for d in range(7):
            if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in values):
                return d
        return 6

    def __call__(self, x, pos=None) -> str:
        from analysis.i18n import decimal

        return decimal(x, self.digits([x]), self.lang)

    def format_ticks(self, values) -> list[str]:
        from analysis.i18n import decimal

        d = self.digits(values)
        return [decimal(v, d, self.lang) for v in values]


def year_formatter():
    """Years on an axis: 2023, never grouped (2 023) or with decimals."""
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, pos=None: f"{round(v):d}")


def localise_numbers(fig, lang: str) -> None:
    """Every numeric axis of ``fig`` (those still on matplotlib's default formatter) written the
    way ``lang`` writes numbers: 44,0 / 44.0, 2 500, −0,5."""
    from matplotlib.ticker import ScalarFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(NumberFormatter(lang))


def overflowing(fig, tolerance: float = 1.0) -> list[str]:
    """What of ``fig`` is drawn outside its canvas (cut off at the journal width): every axes with
    its tick labels, axis labels and title, and every figure legend, as laid out for drawing.
    Empty when everything fits."""
    renderer = fig.canvas.get_renderer()
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    canvas = fig.bbox
    parts = [(f"axes {i} ({ax.get_xlabel() or ax.get_ylabel() or ax.get_title()!r})", ax.get_tightbbox(renderer))
             for i, ax in enumerate(fig.axes) if ax.get_visible()]
    parts += [(f"legend {i}", legend.get_window_extent(renderer)) for i, legend in enumerate(fig.legends)]
    parts += [(f"text {text.get_text()!r}", text.get_window_extent(renderer)) for text in fig.texts if text.get_text()]
    return [name for name, box in parts if box is not None and (
        box.x0 < canvas.x0 - tolerance or box.y0 < canvas.y0 - tolerance
        or box.x1 > canvas.x1 + tolerance or box.y1 > canvas.y1 + tolerance)]


#: Iterations of adjustText's label placement: a fixed count, never its time limit, so that the
#: labels land in the same place on every machine.
LABEL_ITERATIONS = 500


def label_points(ax, x, y, labels, fontsize: float = MIN_FONT_SIZE) -> list:
    """Label the points (``x``, ``y``) of ``ax`` without overlaps: adjustText moves each label away
    from the other labels and from the points, inside the axes, with a thin leader line where it
    had to move a label far. Deterministic: a fixed number of iterations, no time limit."""
    from adjustText import adjust_text

    texts = []
    for xi, yi, label in zip(x, y, labels, strict=True):
        text = ax.text(xi, yi, label, fontsize=fontsize, ha="left", va="bottom")
        text.set_in_layout(False)  # the layout must not move the axes after the labels are placed
        texts.append(text)
    ax.figure.draw_without_rendering()  # the final layout first: labels are placed in its coordinates
    adjust_text(texts, x=list(x), y=list(y), ax=ax, iter_lim=LABEL_ITERATIONS, time_lim=None,
                expand=(1.1, 1.3), force_text=(0.2, 0.4), min_arrow_len=8,
                arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5, "shrinkA": 0, "shrinkB": 2})
    return texts


#: Area of the region and city markers in the statistics figures, pt² (seaborn's ``s``); the
#: legend draws them at the same size (its ``markersize`` is the side, the square root).
MARKER_AREA = 16


def type_legend(lang: str, extra=(), size: float = MARKER_AREA) -> list:
    """Legend handles for regions and cities: the very markers, colours and size the figures draw
    them with (circles for regions, squares for cities)."""
    from matplotlib.lines import Line2D

    from analysis.i18n import t

    side = size ** 0.5
    return [Line2D([], [], marker=TYPE_MARKERS["region"], ls="", ms=side, color=REGION_COLOUR, label=t("stats_oblast", lang)),
            Line2D([], [], marker=TYPE_MARKERS["city"], ls="", ms=side, color=CITY_COLOUR, label=t("stats_city", lang)),
            *extra]


class MissingGlyphError(AssertionError):
    pass


@contextmanager
def no_missing_glyphs():
    """Fail if matplotlib reports a glyph missing from the font while drawing inside the block."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    missing = [str(w.message) for w in caught if "missing from" in str(w.message) and "Glyph" in str(w.message)]
    if missing:
        raise MissingGlyphError("; ".join(sorted(set(missing))))
