"""Writing results: every output file has one producing notebook, recorded in a manifest.

A notebook creates one :class:`OutputWriter`, adds its tables, texts and figures to it, and calls
:meth:`OutputWriter.finish` last. Nothing is written before ``finish``: a notebook that fails
half-way leaves every stored result as it was. ``finish`` writes each file atomically (a file
whose bytes would not change is not touched), removes files the notebook produced before but no
longer produces, and writes the notebook's manifest fragment
``results/manifest/<notebook>.csv`` (file, producing notebook, inputs, sha256).
``python -m analysis.pipeline.manifest`` merges the fragments into ``results/manifest.csv``.

Every CSV follows a declared schema: its columns, in order, and the precision each number is
written with (:mod:`analysis.precision`). Files under the results folder are declared in
``src/analysis/pipeline/steps.yml`` (:mod:`analysis.pipeline.resultschema`); the cleaning step passes
the processed resources' schemas from ``data/datapackage.json``. A CSV with undeclared or
missing columns is refused before anything is written.

Figures are saved byte-deterministically at journal size: the figure's own width (3.5 or 7 in,
checked) at 300 dpi, PNG without the ``Software`` metadata, SVG with editable text
(``svg.fonttype: none``), a fixed ``svg.hashsalt`` and no ``Date``. Beside each figure go the data
it shows as CSV (nbval does not compare images) and its caption as ``<stem>.txt`` (title, notes,
source line; :meth:`analysis.figures.Figure.caption`).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import OutputError, listing
from analysis.ingest.rawio import commit_all, csv_bytes, sha256_bytes
from analysis.precision import apply_policy

MANIFEST_DIR_NAME = "manifest"
MANIFEST_COLUMNS = ["file", "notebook", "inputs", "sha256"]
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


def _numeric(column: pd.Series) -> pd.Series:
    """A column read back from CSV as numbers where every cell is one (bounds like '<1e-10' and
    text stay text)."""
    converted = pd.to_numeric(column, errors="coerce")
    return converted if converted.notna().sum() == column.notna().sum() else column


class OutputWriter:
    """Collects the outputs of one notebook and writes them, with its manifest fragment, at the end."""

    def __init__(self, notebook: str, results_dir: str | Path = paths.RESULTS, year: int | None = None,
                 step=None) -> None:
        self.notebook = notebook if notebook.endswith(".ipynb") else f"{notebook}.ipynb"
        self.results_dir = paths.resolve(results_dir)
        self.year = year
        #: The running pipeline step (analysis.pipeline.Step): its opened files are every output's
        #: inputs unless an output names its own (which the step must have declared).
        self.step = step
        self.manifest_dir = self.results_dir / MANIFEST_DIR_NAME
        self._files: dict[Path, tuple[bytes, str]] = {}

    # -- adding outputs -------------------------------------------------------------------------
    def add_bytes(self, path: str | Path, data: bytes, inputs: Iterable[str | Path] | None = None) -> Path:
        path = paths.resolve(path)
        if path in self._files:
            raise ValueError(f"{paths.shown(path)} is added twice by {self.notebook}")
        if inputs is not None and self.step is not None:
            undeclared = [paths.shown(i) for i in inputs if not self.step.allows(i)]
            if undeclared:
                raise ValueError(f"{paths.shown(path)}: inputs {undeclared} are not declared by step {self.step.spec.name}")
        self._files[path] = (data, None if inputs is None else ";".join(sorted({paths.shown(i) for i in inputs})))
        return path

    def add_csv(self, path: str | Path, frame: pd.DataFrame, inputs: Iterable[str | Path] | None = None,
                fields: list[dict] | None = None) -> Path:
        """``frame`` as CSV, each column as its schema declares (``fields``, or the declaration of
        the file in ``steps.yml`` for files under the results folder)."""
        path = paths.resolve(path)
        fields = fields if fields is not None else self.declared_fields(path)
        try:
            text = apply_policy(frame, fields)
        except ValueError as err:
            raise ValueError(f"{paths.shown(path)}: {err}") from None
        return self.add_bytes(path, csv_bytes(text), inputs)

    def declared_fields(self, path: Path) -> list[dict]:
        from analysis.pipeline.resultschema import SCHEMA_FILE, schema_for

        try:
            relative = path.relative_to(self.results_dir).as_posix()
        except ValueError:
            raise ValueError(f"{paths.shown(path)} is outside {paths.shown(self.results_dir)}: "
                             "pass the schema of its columns (fields=...)") from None
        resource = schema_for(relative)
        if resource is None:
            raise ValueError(f"{paths.shown(path)} is not declared in {paths.shown(SCHEMA_FILE)}: "
                             "describe its columns (type, unit, description, precision) there")
        return resource["schema"]["fields"]

    def written(self, path: str | Path) -> pd.DataFrame:
        """The CSV added as ``path``, read back: what a notebook shows is what the file holds."""
        return pd.read_csv(io.BytesIO(self._files[paths.resolve(path)][0]), keep_default_na=False,
                           na_values=[""], dtype=object).apply(_numeric)

    def add_text(self, path: str | Path, text: str, inputs: Iterable[str | Path] | None = None) -> Path:
        return self.add_bytes(path, (text if text.endswith("\n") else text + "\n").encode("utf-8"), inputs)

    def add_figure(self, stem: str | Path, fig, data: pd.DataFrame, inputs: Iterable[str | Path] | None = None,
                   formats: Iterable[str] = FIGURE_FORMATS, fields: list[dict] | None = None,
                   caption: str | None = None) -> list[Path]:
        """``stem``.png and ``stem``.svg, the data behind the figure as ``stem``.csv and, if given,
        its caption as ``stem``.txt."""
        stem = str(stem)
        with checked_layout(fig):
            out = [self.add_bytes(f"{stem}.{fmt}", figure_bytes(fig, fmt, checked=True), inputs) for fmt in formats]
        out.append(self.add_csv(f"{stem}.csv", data, inputs, fields=fields))
        if caption is not None:
            out.append(self.add_text(f"{stem}.txt", caption, inputs))
        return out

    def add_figures(self, stem: str | Path, draw, languages, shown: str) -> object:
        """Draw a figure in every language (``draw(lang)`` returns an :class:`analysis.figures.Figure`),
        refusing any glyph the font lacks; add each as PNG, SVG, CSV and caption file
        (``<stem>_<lang>.png``, ``.svg``, ``.csv``, ``.txt``); print the caption of language
        ``shown`` and return its PNG to show (the very bytes written)."""
        import matplotlib.pyplot as plt

        from analysis.figures.style import no_missing_glyphs

        image = None
        for lang in languages:
            with no_missing_glyphs():
                drawn = draw(lang)
                caption = drawn.caption(lang, self.notebook)
                png, *_ = self.add_figure(f"{stem}_{lang}", drawn.figure, drawn.data, caption=caption)
            plt.close(drawn.figure)
            if lang == shown:
                print(caption, end="")
                image = self.image(png)
        return image

    def image(self, path: str | Path):
        """The PNG added as ``path``, to show in the notebook: the very bytes written to the file
        (not a second rendering), shown at the figure's natural size."""
        from IPython.display import Image

        data = self._files[paths.resolve(path)][0]
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            raise ValueError(f"{paths.shown(path)} is not a PNG")
        width_px = int.from_bytes(data[16:20], "big")  # the IHDR chunk: width, then height
        return Image(data=data, format="png", width=round(width_px * SCREEN_DPI / PNG_DPI))

    # -- writing --------------------------------------------------------------------------------
    def manifest(self) -> pd.DataFrame:
        opened = ";".join(sorted({paths.shown(p) for p in self.step.opened})) if self.step is not None else ""
        rows = [{"file": paths.shown(p), "notebook": f"notebooks/{self.notebook}",
                 "inputs": opened if inputs is None else inputs, "sha256": sha256_bytes(data)}
                for p, (data, inputs) in self._files.items()]
        return pd.DataFrame(rows, columns=MANIFEST_COLUMNS).sort_values("file", ignore_index=True)

    @property
    def fragment(self) -> Path:
        """This notebook's manifest fragment: ``<results_dir>/manifest/<notebook>.csv``."""
        return self.manifest_dir / f"{Path(self.notebook).stem}.csv"

    @property
    def tree(self) -> Path:
        """The folder tree the run writes into: the parent of its results folder (the project root
        for the stored outputs). Every output must lie inside it, so that a fragment only ever
        describes files of its own run's folders."""
        return self.results_dir.parent

    def _owned_before(self) -> set[Path]:
        """The files this notebook wrote earlier into the folders it writes into now."""
        if not self.fragment.exists():
            return set()
        try:
            listed = pd.read_csv(self.fragment, dtype=str, keep_default_na=False)["file"]
        except (ValueError, KeyError, OSError) as err:
            raise OutputError(self.fragment, f"unreadable manifest fragment ({err}); restore it from git "
                              "or delete it, then re-run") from None
        folders = {path.parent for path in self._files}
        return {p for p in map(paths.resolve, listed) if p.parent in folders}

    def finish(self) -> pd.DataFrame:
        """Write every output and the manifest fragment as one step (all or none), and remove the
        outputs this notebook wrote earlier into the same folders and no longer produces.

        A run never deletes or overwrites what it does not own: outputs outside its folder tree
        (:attr:`tree`) are refused before anything is written, and only files listed in this
        notebook's own fragment, in the folders it writes into, are ever removed.
        """
        outside = sorted(paths.shown(p) for p in self._files if not p.is_relative_to(self.tree))
        if outside:
            raise OutputError(
                self.fragment, f"{self.notebook} would write {listing(outside)} outside {paths.shown(self.tree)}, "
                "the folder tree its manifest fragment describes; nothing was written. Give every output folder "
                "of a run one common parent (e.g. -r processed_dir build/2024/processed -r results_dir "
                "build/2024/results), or use make reproduce YEAR=<year>")
        if self.year is not None and self.year != paths.ARTICLE_YEAR and self.tree == paths.PROJECT_ROOT:
            raise OutputError(
                self.fragment, f"{self.notebook} ran for {self.year}, but the stored outputs hold the article's year "
                f"{paths.ARTICLE_YEAR}; nothing was written. Run another year into its own folders: "
                f"make reproduce YEAR={self.year}")
        manifest = self.manifest()
        stale = sorted(self._owned_before() - set(self._files))
        commit_all({**{path: data for path, (data, _) in self._files.items()}, self.fragment: csv_bytes(manifest)},
                   remove=stale)
        return manifest
