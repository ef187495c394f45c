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
    """Apply the compendium's style to matplotlib's global settings."""
    mpl.rcParams.update(STYLE)


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
