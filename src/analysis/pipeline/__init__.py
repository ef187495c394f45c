"""The top layer: the step graph (``steps.yml``), and running a step's notebook.

Each step is one notebook with the files it reads and writes, declared once in ``steps.yml`` as
patterns under a root (``raw/``, ``processed/``, ``results/``, ``notebooks/``, ``project/`` or the
``datapackage``). From the declaration come the Makefile's step rules
(:mod:`analysis.pipeline.makefile`), the files a notebook may load and the inputs of its manifest
fragment (:class:`Step`). A notebook runs as its step through :mod:`analysis.session`, the one
layer above this one; :mod:`analysis.pipeline.run` executes one notebook with papermill.

Nothing below this package imports it: ``ingest``, ``stats``, ``figures``, ``claims`` and
``report`` take plain paths and frames.
"""

from __future__ import annotations

import fnmatch
import itertools
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis import paths
from analysis.errors import NotebookError
from analysis.i18n import LANGUAGES

STEPS_FILE = Path(__file__).with_name("steps.yml")
#: Root of a declared path -> (the notebook parameter that moves it, its default).
ROOTS = {"raw": ("raw_dir", "data/raw"), "processed": ("processed_dir", "data/processed"),
         "results": ("results_dir", "results"), "notebooks": ("notebooks_dir", "notebooks"),
         "datapackage": ("datapackage", "data/datapackage.json"), "project": ("project_dir", ".")}
_ALTERNATIVES = re.compile(r"\{([^{}]*,[^{}]*)\}")


@dataclass(frozen=True)
class StepSpec:
    """One declared step: its notebook, whether it takes a year, what it reads and writes, and
    whether it is long (make starts the long steps first)."""

    name: str
    title: str
    takes_year: bool
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    long: bool = False

    @property
    def notebook(self) -> Path:
        return paths.NOTEBOOKS / f"{self.name}.ipynb"


@cache
def steps() -> tuple[StepSpec, ...]:
    """Every step, in the declared order."""
    from analysis.ingest.rawio import read_yaml

    declaration, _ = read_yaml(STEPS_FILE)
    return tuple(StepSpec(e["step"], e["title"], bool(e.get("year")), tuple(e["reads"]), tuple(e["writes"]),
                          bool(e.get("long"))) for e in declaration["steps"])


def refuse_a_foreign_project(who: str) -> None:
    """Refuse to run in a copied or moved project whose Python (``who``: "this Python", "this
    kernel") still runs the original's code, naming the folder and the fix."""
    elsewhere = paths.foreign_project()
    if elsewhere is not None:
        raise NotebookError(elsewhere, f"{who} runs the code of {paths.PROJECT_ROOT}, not of this folder (a copied "
                            "or moved project whose .venv was made there); run make in this folder: it re-creates "
                            ".venv here")


def spec(name: str) -> StepSpec:
    """The declared step ``name``."""
    for s in steps():
        if s.name == name:
            return s
    raise NotebookError(STEPS_FILE, f"no step '{name}'; the steps are {', '.join(s.name for s in steps())}")


def expand(pattern: str, year: int | None = None) -> list[str]:
    """A declared pattern with ``{year}`` filled in, ``{lang}`` and ``{a,b}`` expanded (globs kept)."""
    text = pattern.replace("{year}", str(year if year is not None else paths.ARTICLE_YEAR))
    text = text.replace("{lang}", "{" + ",".join(LANGUAGES) + "}")
    parts = _ALTERNATIVES.split(text)  # literal, choices, literal, choices, ...
    choices = [p.split(",") if i % 2 else [p] for i, p in enumerate(parts)]
    return ["".join(c) for c in itertools.product(*choices)]


def resolve(pattern: str, parameters: dict | None = None) -> Path:
    """A declared path (one of :func:`expand`'s) under its root, moved by the step's parameters."""
    root, _, rest = pattern.partition("/")
    if root not in ROOTS:
        raise NotebookError(STEPS_FILE, f"path {pattern!r} does not start with one of {', '.join(ROOTS)}")
    parameter, default = ROOTS[root]
    base = paths.resolve((parameters or {}).get(parameter, default))
    return base / rest if rest else base


def is_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def figure_stems(step: StepSpec) -> list[str]:
    """The figures a step declares, as stems under results/ (``figures/figure1_special_organisations``)."""
    return [match.group(1) for w in step.writes
            if (match := re.fullmatch(r"results/(.*)_\{lang\}\.(?:png|\{[a-z,]*png[a-z,]*\})", w))]


def writers_of(pattern: str) -> set[str]:
    """The steps whose declared outputs (or executed notebook) a read pattern matches."""
    out = set()
    for s in steps():
        produced = [f"notebooks/{s.name}.ipynb", *(p for w in s.writes for p in expand(w))]
        for read in expand(pattern):
            if any(fnmatch.fnmatchcase(p, read) or fnmatch.fnmatchcase(read, p) for p in produced):
                out.add(s.name)
    return out


def dependencies(name: str) -> set[str]:
    """The steps whose outputs step ``name`` reads."""
    return {d for read in spec(name).reads for d in writers_of(read) if d != name}


class Step:
    """A step running with its notebook's parameters: the files it may load, and its inputs."""

    def __init__(self, name: str, **parameters) -> None:
        self.spec = spec(name)
        self.year = parameters.get("year")
        self.parameters = parameters
        self.allowed = [resolve(p, parameters) for read in self.spec.reads for p in expand(read, self.year)]

    def allows(self, path: str | Path) -> bool:
        path = paths.resolve(path).resolve()
        return any(path == a.resolve() or fnmatch.fnmatchcase(path.as_posix(), a.resolve().as_posix())
                   for a in self.allowed)

    def access(self, path: str | Path) -> Path:
        """``path``, if the step declares it; else a message saying where to declare it."""
        path = paths.resolve(path)
        if not self.allows(path):
            raise NotebookError(self.spec.notebook, f"step {self.spec.name} reads {paths.shown(path)}, which it does "
                                f"not declare; declare it under 'reads' in {paths.shown(STEPS_FILE)}")
        return path

    def declared_inputs(self) -> list[Path]:
        """The declared reads that exist, globs expanded (never the step's own notebook)."""
        out = []
        for allowed in self.allowed:
            if is_glob(allowed.name):
                out += sorted(p for p in allowed.parent.glob(allowed.name) if p.is_file())
            elif allowed.is_file():
                out.append(allowed)
        own = self.spec.notebook.resolve()
        return [p for p in out if p.resolve() != own]
