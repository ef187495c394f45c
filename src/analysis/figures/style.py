"""One look for every figure, with a font that covers Kazakh (ә ғ қ ң ө ұ ү һ і).

DejaVu Sans ships with matplotlib and covers Cyrillic including the Kazakh letters; using the
bundled font (not a system font) also keeps figures identical across machines.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import matplotlib as mpl

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

STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "svg.hashsalt": "kz-inclusive-education",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "axes.unicode_minus": True,
}


def use_style() -> None:
    """Apply the compendium's style to matplotlib's global settings (seaborn draws with them)."""
    mpl.rcParams.update(STYLE)


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters (titles and long axis labels)."""
    import textwrap

    return textwrap.fill(text, width=width, break_long_words=False)


def decimal_commas(fig, lang: str) -> None:
    """Tick labels with the language's decimal separator (kk, ru: comma)."""
    from analysis.i18n import DECIMAL_COMMA

    if lang not in DECIMAL_COMMA:
        return
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(FuncFormatter(lambda v, pos: f"{v:g}".replace(".", ",").replace("-", "\u2212")))


def type_legend(lang: str, extra=()) -> list:
    """Legend handles for regions and cities (the markers and colours the figures draw them with)."""
    from matplotlib.lines import Line2D

    from analysis.i18n import t

    return [Line2D([], [], marker=TYPE_MARKERS["region"], ls="", color=REGION_COLOUR, label=t("stats_oblast", lang)),
            Line2D([], [], marker=TYPE_MARKERS["city"], ls="", color=CITY_COLOUR, label=t("stats_city", lang)), *extra]


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
