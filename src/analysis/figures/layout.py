"""Saving a figure at journal size, byte for byte the same on every run.

A figure is one journal column (3.5 in) or two (7 in) wide, checked (:func:`check_width`), laid
out once and saved at 300 dpi: PNG without the ``Software`` metadata, SVG with editable text
(``svg.fonttype: none``), a fixed ``svg.hashsalt`` and no ``Date``.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

FIGURE_FORMATS = ("png", "svg")
#: Resolution of PNG figures (print).
PNG_DPI = 300
#: Resolution at which a notebook shows a figure's PNG (matplotlib's default figure dpi), so that
#: the written file appears at the figure's natural size.
SCREEN_DPI = 100


def check_width(fig) -> None:
    """Refuse a figure that is not one journal column (3.5 in) or two (7 in) wide, or that draws
    anything outside that width (a label cut off)."""
    from analysis.figures.style import WIDTHS, overflowing

    width = fig.get_figwidth()
    if not any(abs(width - w) < 1e-9 for w in WIDTHS.values()):
        raise ValueError(f"a figure is {width:g} in wide; journal figures are "
                         f"{' or '.join(f'{w:g}' for w in WIDTHS.values())} in wide (analysis.figures.style.new_figure)")
    cut = overflowing(fig)
    if cut:
        raise ValueError(f"a figure draws outside its {width:g} in canvas: {', '.join(cut)}; wrap or shorten the labels")


def needs_dry_run(fig) -> bool:
    """Whether saving ``fig`` needs matplotlib's dry-run draw before the real one: a leader line
    clipped by its label (adjustText's arrows, ``patchA`` a text) takes the label's extent from
    the label's last draw, so without a draw at the output's resolution first the line runs into
    the label's first letters."""
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.text import Text

    return any(isinstance(arrow.patchA, Text) for arrow in fig.findobj(FancyArrowPatch))


@contextmanager
def checked_layout(fig):
    """Inside the block ``fig`` is checked (:func:`check_width`), which lays it out, and savefig
    draws it with that layout in every format, not laid out again: with no layout engine at all,
    one draw per format; with a "none" placeholder, which only leader lines need
    (:func:`needs_dry_run`), a dry-run draw first. The figure's own engine is back afterwards."""
    import matplotlib as mpl

    check_width(fig)  # once: laying the figure out for the check costs as much as saving it
    engine = fig.get_layout_engine()
    if needs_dry_run(fig):
        fig.set_layout_engine("none")
    else:
        with mpl.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)
    try:
        yield fig
    finally:
        if engine is not None:  # (None would mean "as rcParams say", not "as it was")
            fig.set_layout_engine(engine)


def figure_bytes(fig, fmt: str, checked: bool = False) -> bytes:
    """The figure in ``fmt`` ('png', 'svg' or 'pdf') at its own size (a journal width, at 300 dpi),
    with nothing that changes between runs; checked and laid out once first (:func:`checked_layout`)
    unless the caller has ``checked`` it (the same figure saved in several formats)."""
    import matplotlib as mpl

    if not checked:
        with checked_layout(fig):
            return figure_bytes(fig, fmt, checked=True)
    metadata = {"png": {"Software": None}, "svg": {"Date": None, "Creator": None},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}}[fmt]
    buffer = io.BytesIO()
    from analysis.figures.style import STYLE

    with mpl.rc_context({k: STYLE[k] for k in ("svg.hashsalt", "svg.fonttype", "pdf.fonttype")}):
        fig.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return buffer.getvalue()
