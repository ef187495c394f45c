"""Writing a step's outputs: all at the end, all or none, each listed in a manifest fragment.

A notebook's session (:mod:`analysis.session`) adds its tables, texts and figures to one
:class:`OutputWriter`; nothing is written before :meth:`OutputWriter.finish`, the last cell. Every
CSV follows a declared schema (``results_schema.yml`` for results, the data package for processed
tables) and is written at its declared precision (:mod:`analysis.precision`).

``finish`` adds the notebook's manifest fragment ``<results>/manifest/<notebook>.csv`` (file,
producing notebook, inputs, sha256) and removes files this notebook wrote earlier and no longer
writes. Run by the runner (:mod:`analysis.pipeline.run`), it hands everything to the runner
(:func:`analysis.fileio.stage`), which commits the outputs together with the executed notebook once the whole
notebook has succeeded; run by hand in JupyterLab, it commits them itself.
"""

from __future__ import annotations

import fnmatch
import io
import os
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from analysis import paths
from analysis.errors import OutputError, listing
from analysis.figures.layout import FIGURE_FORMATS, PNG_DPI, SCREEN_DPI, checked_layout, figure_bytes
from analysis.fileio import STAGING, commit_all, csv_bytes, sha256_bytes, stage
from analysis.ingest.datapackage import load_package, processed_resource_for_file
from analysis.pipeline.manifest import MANIFEST_COLUMNS, MANIFEST_DIR_NAME
from analysis.precision import apply_policy


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
        #: The running pipeline step (analysis.pipeline.Step): its declared reads are every output's inputs.
        self.step = step
        self.manifest_dir = self.results_dir / MANIFEST_DIR_NAME
        self._files: dict[Path, bytes] = {}

    # -- adding outputs -------------------------------------------------------------------------
    def add_bytes(self, path: str | Path, data: bytes) -> Path:
        path = paths.resolve(path)
        if path in self._files:
            raise ValueError(f"{paths.shown(path)} is added twice by {self.notebook}")
        self._files[path] = data
        return path

    def add_csv(self, path: str | Path, frame: pd.DataFrame, fields: list[dict] | None = None) -> Path:
        """``frame`` as CSV, each column as its schema declares (``fields``, or the declaration of
        the file in ``results_schema.yml`` for files under the results folder)."""
        path = paths.resolve(path)
        fields = fields if fields is not None else self.declared_fields(path)
        try:
            text = apply_policy(frame, fields)
        except ValueError as err:
            raise ValueError(f"{paths.shown(path)}: {err}") from None
        return self.add_bytes(path, csv_bytes(text))

    def add_processed(self, processed_dir: str | Path, tables: dict[str, pd.DataFrame],
                      package_path: str | Path = paths.DATAPACKAGE) -> None:
        """Each ``<processed_dir>/<name>`` with the schema the data package declares for it."""
        package = load_package(package_path)
        for name, frame in tables.items():
            fields = processed_resource_for_file(package, name)["schema"]["fields"]
            self.add_csv(paths.resolve(processed_dir) / name, frame, fields=fields)

    def declared_fields(self, path: Path) -> list[dict]:
        from analysis.resultschema import SCHEMA_FILE, schema_for

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
        return pd.read_csv(io.BytesIO(self._files[paths.resolve(path)]), keep_default_na=False,
                           na_values=[""], dtype=object).apply(_numeric)

    def add_text(self, path: str | Path, text: str) -> Path:
        return self.add_bytes(path, (text if text.endswith("\n") else text + "\n").encode("utf-8"))

    def add_figure(self, stem: str | Path, fig, data: pd.DataFrame, formats: Iterable[str] = FIGURE_FORMATS,
                   fields: list[dict] | None = None, caption: str | None = None) -> list[Path]:
        """``stem``.png and ``stem``.svg, the data behind the figure as ``stem``.csv and, if given,
        its caption as ``stem``.txt."""
        stem = str(stem)
        with checked_layout(fig):
            out = [self.add_bytes(f"{stem}.{fmt}", figure_bytes(fig, fmt, checked=True)) for fmt in formats]
        out.append(self.add_csv(f"{stem}.csv", data, fields=fields))
        if caption is not None:
            out.append(self.add_text(f"{stem}.txt", caption))
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

        data = self._files[paths.resolve(path)]
        if data[:8] != b"\x89PNG\r\n\x1a\n":
            raise ValueError(f"{paths.shown(path)} is not a PNG")
        width_px = int.from_bytes(data[16:20], "big")  # the IHDR chunk: width, then height
        return Image(data=data, format="png", width=round(width_px * SCREEN_DPI / PNG_DPI))

    # -- writing --------------------------------------------------------------------------------
    def manifest(self) -> pd.DataFrame:
        declared = ";".join(sorted({paths.shown(p) for p in self.step.declared_inputs()})) if self.step else ""
        rows = [{"file": paths.shown(p), "notebook": f"notebooks/{self.notebook}", "inputs": declared,
                 "sha256": sha256_bytes(data)} for p, data in self._files.items()]
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
        if self.step is not None and self.tree == paths.PROJECT_ROOT:
            self._check_declared()
        manifest = self.manifest()
        files = {**self._files, self.fragment: csv_bytes(manifest)}
        stale = sorted(self._owned_before() - set(self._files))
        staging = os.environ.get(STAGING)
        if staging:
            stage(Path(staging), files, stale)
        else:
            commit_all(files, remove=stale)
        return manifest


    def _check_declared(self) -> None:
        """Into the stored folders a step writes exactly what it declares: all of it (a notebook whose
        parameters were changed to write fewer languages would delete the others) and nothing else."""
        from analysis import pipeline

        patterns = [pipeline.resolve(p, self.step.parameters) for w in self.step.spec.writes
                    for p in pipeline.expand(w, self.year)]
        written = {p.resolve() for p in self._files}
        missing = sorted(paths.shown(p) for p in patterns if not pipeline.is_glob(p.name) and p.resolve() not in written)
        undeclared = sorted(paths.shown(p) for p in written
                            if not any(p == q.resolve() or fnmatch.fnmatchcase(p.as_posix(), q.resolve().as_posix())
                                       for q in patterns))
        if missing or undeclared:
            what = "; ".join(part for part in (missing and f"it would not write {listing(missing)}",
                                                undeclared and f"it would write {listing(undeclared)}, which it does not declare")
                             if part)
            raise OutputError(self.fragment, f"{self.notebook} does not write what its step declares in "
                              f"src/analysis/pipeline/steps.yml: {what}; nothing was written. A stored notebook runs "
                              "with its own parameters (restore them: git checkout -- notebooks/"
                              f"{self.notebook}); to try other values, run it into a folder of your own: python -m "
                              f"analysis.pipeline.run notebooks/{self.notebook} --into build/by-hand ...")
