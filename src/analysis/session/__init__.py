"""What a notebook calls: running as its step, loading its inputs, writing its outputs.

A notebook's first code cell after its parameters is::

    run = session.start("40_regional_disparity", year=year, processed_dir=processed_dir,
                        results_dir=results_dir, languages=languages, shown_language=shown_language)

which makes it run as its declared step, applies the figure style and the pandas display
options, and gives the notebook a :class:`Session`: ``run.load`` a processed table (one the step
declares), ``run.table`` / ``run.text`` / ``run.texts`` / ``run.figures`` an output (shown as
written), ``run.finish()`` last, which writes every output and the manifest fragment as one step.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis import paths, pipeline
from analysis.i18n import LANGUAGES, parse_languages
from analysis.ingest.load import load_processed
from analysis.session.outputs import OutputWriter

DISPLAY = {"display.max_columns": 30, "display.max_colwidth": 70, "display.width": 200}


@dataclass
class Session:
    """A notebook running as its step: its folders, languages, and the writer of its outputs."""

    step: pipeline.Step
    writer: OutputWriter
    year: int | None
    processed_dir: Path
    results_dir: Path
    languages: list[str] = field(default_factory=list)
    shown: str = "en"

    @property
    def inputs(self) -> list[str]:
        """The files this step reads, as shown in outputs (relative to the project), sorted."""
        return sorted(paths.shown(p) for p in self.step.declared_inputs())

    def load(self, name: str) -> pd.DataFrame:
        """``processed/<name>`` (``{year}`` filled in) with the types the data package declares."""
        name = name.format(year=self.year)
        self.step.access(self.processed_dir / name)
        return load_processed(name, self.processed_dir)

    def path(self, relative: str) -> Path:
        return self.results_dir / relative

    def table(self, relative: str, frame: pd.DataFrame) -> pd.DataFrame:
        """Add ``results/<relative>`` (a declared CSV) and return it as written, to show."""
        path = self.writer.add_csv(self.path(relative), frame)
        return self.writer.written(path)

    def processed_tables(self, tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
        """Add each ``processed/<name>`` with the schema the data package declares for it; the
        files and their rows, to show."""
        self.writer.add_processed(self.processed_dir, tables, self.step.parameters.get("datapackage", paths.DATAPACKAGE))
        return pd.DataFrame({"file": [paths.shown(self.processed_dir / n) for n in tables],
                             "rows": [len(f) for f in tables.values()]})

    def text(self, relative: str, text: str) -> str:
        self.writer.add_text(self.path(relative), text)
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
        """``results/<stem>_<lang>.{png,svg,csv,txt}`` in every language; shows the one of ``shown_language``."""
        return self.writer.add_figures(self.path(stem), draw, self.languages, self.shown)

    def finish(self):
        """Write every output and the manifest fragment (all or none); says how many files and
        where their manifest is."""
        from IPython.display import Markdown

        manifest = self.writer.finish()
        return Markdown(f"{len(manifest)} files written; each with its inputs and sha256 in "
                        f"`{paths.shown(self.writer.fragment)}`.")


def start(step: str, *, year: int | None = None, processed_dir: str | Path = paths.PROCESSED,
          results_dir: str | Path = paths.RESULTS, languages: str = ",".join(LANGUAGES), shown_language: str = "en",
          **parameters) -> Session:
    """Run as step ``step`` with the notebook's parameters (see the module docstring)."""
    from analysis.figures.style import use_style

    pipeline.refuse_a_foreign_project("this kernel")
    for option, value in DISPLAY.items():
        pd.set_option(option, value)
    use_style()
    running = pipeline.Step(step, year=year, processed_dir=processed_dir, results_dir=results_dir, **parameters)
    langs = parse_languages(languages)
    writer = OutputWriter(step, results_dir, year=year, step=running)
    return Session(step=running, writer=writer, year=year, processed_dir=paths.resolve(processed_dir),
                   results_dir=paths.resolve(results_dir), languages=langs,
                   shown=shown_language if shown_language in langs else langs[0])
