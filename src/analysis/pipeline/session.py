"""What every notebook does before and after its analysis, in one place.

A notebook's first code cell after its parameters is::

    run = session.start("40_regional_disparity", year=year, processed_dir=processed_dir,
                        results_dir=results_dir, languages=languages, shown_language=shown_language)

which makes it run as its declared step (only the files the step declares may be opened, and
every one opened becomes an input in the manifest), applies the figure style and the pandas
display options, and gives the notebook :class:`Session`: ``run.load`` a processed table,
``run.table`` / ``run.text`` / ``run.texts`` / ``run.figures`` an output (shown as written), ``run.finish()``
last, which writes every output and the manifest fragment as one step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths, pipeline
from analysis.i18n import LANGUAGES, parse_languages
from analysis.pipeline.outputs import OutputWriter

DISPLAY = {"display.max_columns": 30, "display.max_colwidth": 70, "display.width": 200}


@dataclass
class Session:
    step: pipeline.Step
    writer: OutputWriter
    year: int | None
    processed_dir: Path
    results_dir: Path
    languages: list[str] = field(default_factory=list)
    shown: str = "en"

    @property
    def inputs(self) -> list[str]:
        """The files this step has opened so far, as shown in outputs (relative to the project)."""
        return [paths.shown(p) for p in self.step.opened]

    def load(self, name: str) -> pd.DataFrame:
        """``processed/<name>`` (``{year}`` filled in) with the types the data package declares."""
        from analysis.ingest.load import load_processed

        return load_processed(name.format(year=self.year), self.processed_dir)

    def path(self, relative: str) -> Path:
        return self.results_dir / relative

    def table(self, relative: str, frame: pd.DataFrame, inputs=None) -> pd.DataFrame:
        """Add ``results/<relative>`` (a declared CSV) and return it as written, to show."""
        path = self.writer.add_csv(self.path(relative), frame, inputs)
        return self.writer.written(path)

    def text(self, relative: str, text: str, inputs=None) -> str:
        self.writer.add_text(self.path(relative), text, inputs)
        return text

    def texts(self, stem: str, write, suffix: str = ".md") -> str:
        """``results/<stem>_<lang><suffix>`` in every language (``write(lang)`` returns the text);
        returns the one of ``shown_language``, to show."""
        shown = ""
        for lang in self.languages:
            text = self.text(f"{stem}_{lang}{suffix}", write(lang))
            if lang == self.shown:
                shown = text
        return shown

    def figures(self, stem: str, draw) -> object:
        """``results/<stem>_<lang>.{png,svg,csv}`` in every language; shows the one of ``shown_language``."""
        return self.writer.add_figures(self.path(stem), draw, self.languages, self.shown)

    def finish(self) -> pd.DataFrame:
        """Write every output and the manifest fragment (all or none); the files and their hashes."""
        return self.writer.finish()[["file", "sha256"]]


def start(step: str, *, year: int | None = None, processed_dir: str | Path = paths.PROCESSED,
          results_dir: str | Path = paths.RESULTS, languages: str = ",".join(LANGUAGES), shown_language: str = "en",
          **parameters) -> Session:
    """Run as step ``step`` with the notebook's parameters (see the module docstring)."""
    from analysis.figures.style import use_style

    for option, value in DISPLAY.items():
        pd.set_option(option, value)
    use_style()
    running = pipeline.step(step, year=year, processed_dir=processed_dir, results_dir=results_dir, **parameters)
    langs = parse_languages(languages)
    return Session(step=running, writer=running.writer(results_dir), year=year,
                   processed_dir=paths.resolve(processed_dir), results_dir=paths.resolve(results_dir),
                   languages=langs, shown=shown_language if shown_language in langs else langs[0])
