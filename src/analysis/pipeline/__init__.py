"""The step graph, declared once in ``steps.yml``, and the steps a notebook runs as.

:func:`steps` reads the declaration: each step is one notebook, with the files it reads and
writes (patterns under a root: ``raw/``, ``processed/``, ``results/``, ``notebooks/`` or the
``datapackage``) and the code it uses. From it come the Makefile's step rules
(:mod:`analysis.pipeline.generate`), the runner's layers (:func:`layers`, any depth), the README's
table of notebooks, the output schemas of every results CSV (:mod:`analysis.pipeline.resultschema`)
and, in the notebooks, the files a step may open::

    step = pipeline.step("20_figure1_special_organisations", year=year, processed_dir=processed_dir)
    indicators = load_processed(f"national_indicators.csv", processed_dir)   # declared: allowed
    writer = step.writer()                                                    # inputs: what was opened

While a step is active, every reader of the compendium (the raw-file gate, the processed-table
loader, the report) calls :func:`access`: a file the step did not declare is refused, and every
file opened is recorded, so the manifest's inputs are right by construction.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from analysis import paths
from analysis.errors import NotebookError
from analysis.i18n import LANGUAGES

STEPS_FILE = Path(__file__).with_name("steps.yml")
SOURCE = paths.PROJECT_ROOT / "src" / "analysis"
#: Root of a declared path -> (the notebook parameter that moves it, its default).
ROOTS = {"raw": ("raw_dir", "data/raw"), "processed": ("processed_dir", "data/processed"),
         "results": ("results_dir", "results"), "notebooks": ("notebooks_dir", "notebooks"),
         "datapackage": ("datapackage", "data/datapackage.json"),
         # the project's own files (the lock, the code): read only to fingerprint the inputs
         "project": ("project_dir", ".")}


@dataclass(frozen=True)
class StepSpec:
    """One declared step."""

    name: str
    title: str
    takes_year: bool
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    #: The CSV outputs with their declared schemas (entries of ``writes`` given as mappings).
    tables: tuple[dict, ...]
    uses: tuple[str, ...]

    @property
    def notebook(self) -> Path:
        return paths.NOTEBOOKS / f"{self.name}.ipynb"


@cache
def declaration() -> dict:
    return yaml.safe_load(STEPS_FILE.read_text(encoding="utf-8"))


@cache
def steps() -> tuple[StepSpec, ...]:
    """Every step, in the declared order."""
    out = []
    for entry in declaration()["steps"]:
        writes = tuple(w if isinstance(w, str) else w["path"] for w in entry["writes"])
        tables = tuple(w for w in entry["writes"] if isinstance(w, dict))
        out.append(StepSpec(entry["step"], entry["title"], bool(entry.get("year")), tuple(entry["reads"]),
                            writes, tables, tuple(entry.get("uses", ()))))
    return tuple(out)


def spec(name: str) -> StepSpec:
    for s in steps():
        if s.name == name:
            return s
    raise NotebookError(STEPS_FILE, f"no step '{name}'; the steps are {', '.join(s.name for s in steps())}")


def expand(pattern: str, year: int | None = None) -> list[str]:
    """A declared pattern with {year} filled and {lang} expanded (globs left as they are)."""
    text = pattern.replace("{year}", str(year if year is not None else paths.ARTICLE_YEAR))
    return [text.replace("{lang}", lang) for lang in LANGUAGES] if "{lang}" in text else [text]


def resolve(pattern: str, parameters: dict | None = None) -> Path:
    """A declared path (one of :func:`expand`'s) under its root, moved by the step's parameters."""
    parameters = parameters or {}
    root, _, rest = pattern.partition("/")
    if root not in ROOTS:
        raise ValueError(f"{STEPS_FILE.name}: path {pattern!r} does not start with one of {sorted(ROOTS)}")
    parameter, default = ROOTS[root]
    base = paths.resolve(parameters.get(parameter, default))
    return base / rest if rest else base


def _writers_of(pattern: str) -> set[str]:
    """The steps whose declared outputs a read pattern matches."""
    out = set()
    for s in steps():
        produced = [*(f"notebooks/{s.name}.ipynb",), *(p for w in s.writes for p in expand(w))]
        for read in expand(pattern):
            if any(fnmatch.fnmatchcase(p, read) or fnmatch.fnmatchcase(read, p) for p in produced):
                out.add(s.name)
    return out


@cache
def dependencies(name: str) -> frozenset[str]:
    """The steps ``name`` reads from (directly)."""
    return frozenset(d for read in spec(name).reads for d in _writers_of(read) if d != name)


def layers() -> list[list[str]]:
    """The steps in layers: each layer reads only what the layers before it write."""
    level: dict[str, int] = {}

    def depth(name: str, seen: tuple[str, ...] = ()) -> int:
        if name in seen:
            raise NotebookError(STEPS_FILE, f"the steps form a cycle: {' -> '.join((*seen, name))}")
        if name not in level:
            level[name] = 1 + max((depth(d, (*seen, name)) for d in dependencies(name)), default=-1)
        return level[name]
    for s in steps():
        depth(s.name)
    return [[s.name for s in steps() if level[s.name] == i] for i in range(max(level.values()) + 1)]


class Step:
    """A step running with its parameters: which files it may open, which it opened."""

    def __init__(self, name: str, **parameters) -> None:
        self.spec = spec(name)
        self.year = parameters.get("year")
        self.parameters = parameters
        self.allowed = [resolve(p, parameters) for read in self.spec.reads for p in expand(read, self.year)]
        self.opened: list[Path] = []

    def allows(self, path: str | Path) -> bool:
        path = paths.resolve(path).resolve()
        return any(path == a.resolve() or fnmatch.fnmatchcase(path.as_posix(), a.resolve().as_posix())
                   for a in self.allowed)

    def access(self, path: str | Path) -> Path:
        path = paths.resolve(path)
        if not self.allows(path):
            raise NotebookError(self.spec.notebook, f"step {self.spec.name} opens {paths.shown(path)}, which it does "
                                f"not declare; declare it under 'reads' in {paths.shown(STEPS_FILE)}")
        if path not in self.opened:
            self.opened.append(path)
        return path

    def declared_inputs(self) -> list[Path]:
        """The declared reads that exist, globs expanded (a step never reads its own notebook)."""
        out = []
        for allowed in self.allowed:
            if any(c in allowed.name for c in "*?["):
                out += sorted(p for p in allowed.parent.glob(allowed.name) if p.is_file())
            elif allowed.exists():
                out.append(allowed)
        own = self.spec.notebook.resolve()
        return [p for p in out if p.resolve() != own]

    def writer(self, results_dir: str | Path | None = None):
        from analysis.pipeline.outputs import OutputWriter

        results = results_dir if results_dir is not None else self.parameters.get("results_dir", ROOTS["results"][1])
        return OutputWriter(self.spec.name, results, year=self.year, step=self)


_active: Step | None = None


def step(name: str, **parameters) -> Step:
    """Start running as step ``name`` (in a notebook): from now on only its declared files open."""
    global _active
    _active = Step(name, **parameters)
    return _active


def active() -> Step | None:
    return _active


def access(path: str | Path) -> Path:
    """Every reader calls this before opening ``path``: refused if the active step did not declare
    it, recorded if it did; a no-op outside a step (tests, scripts)."""
    return _active.access(path) if _active is not None else paths.resolve(path)
