"""The Makefile's step rules, generated from the step graph: ``.make/steps.mk``.

``python -m analysis.pipeline.makefile .make/steps.mk`` writes, for every step, one rule: its
stamp ``$(STAMPS)/<step>`` depends on its notebook, the files it reads, and the code its notebook
reaches through imports (:func:`code_files`, followed through ``src/analysis``, with each
package's data files), so a step re-runs exactly when one of them changes. Each output that a
later step reads depends on its writer's stamp, and is left untouched when its bytes do not
change, so a step that re-runs but writes the same bytes stops the cascade. A step that reads by
glob also waits for the steps that write there.

The folders are make variables: for the article's year the stored ones, for ``YEAR=<year>``
those of :func:`analysis.paths.year_folders` (defined once, there).
"""

from __future__ import annotations

import ast
import json
import sys
from functools import cache
from pathlib import Path

from analysis import paths
from analysis.errors import UserError
from analysis.fileio import atomic_write_bytes
from analysis.pipeline import STEPS_FILE, dependencies, expand, is_glob, steps

SOURCE = paths.PROJECT_ROOT / "src" / "analysis"
#: How a declared root is written in the rules (make variables for the folders a year moves).
ROOTS = {"raw": paths.shown(paths.RAW), "processed": "$(PROCESSED)", "results": "$(RESULTS)",
         "notebooks": paths.shown(paths.NOTEBOOKS), "datapackage": paths.shown(paths.DATAPACKAGE), "project": ""}


def module_file(name: str) -> Path | None:
    """The source file of module ``analysis.x.y``, or None (a name inside a module, or not ours)."""
    parts = name.split(".")
    if parts[0] != "analysis":
        return None
    for candidate in (SOURCE.joinpath(*parts[1:]).with_suffix(".py"), SOURCE.joinpath(*parts[1:], "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(source: str, module: str = "") -> set[str]:
    """The modules ``source`` (of module ``module``) imports anywhere, functions included; for
    ``from a import b`` both ``a`` and ``a.b`` (``b`` may be a module or a name)."""
    out: set[str] = set()
    package = module if SOURCE.joinpath(*module.split(".")[1:], "__init__.py").is_file() else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            out |= {base, *(f"{base}.{a.name}" for a in node.names)}
    return out


@cache
def module_imports(file: Path, name: str) -> frozenset[str]:
    """What module ``name`` (its source ``file``) imports: each module read and parsed once per
    process, however many steps reach it."""
    return frozenset(imported_modules(file.read_text(encoding="utf-8"), name))


def notebook_code(notebook: Path) -> str:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code"
                     and not "".join(c["source"]).lstrip().startswith(("%", "!")))


def code_files(notebook: Path) -> list[Path]:
    """Every file of ``src/analysis`` that ``notebook`` reaches: the modules it imports, followed
    through their imports (with each package's ``__init__`` on the way), and the data files beside
    them (in their folder and its non-package subfolders: translations, templates, ...)."""
    todo, seen = imported_modules(notebook_code(notebook)), set()
    while todo:
        parts = todo.pop().split(".")
        for i in range(1, len(parts) + 1):  # importing a.b.c runs a/__init__ and a/b/__init__
            name = ".".join(parts[:i])
            file = module_file(name)
            if file is not None and file not in seen:
                seen.add(file)
                todo |= module_imports(file, name)
    data = set()
    for folder in {f.parent for f in seen}:
        for path in folder.rglob("*"):
            inside_package = any((p / "__init__.py").is_file() for p in path.parents if p != folder and folder in p.parents)
            if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts \
                    and not inside_package:
                data.add(path)
    return sorted(seen | data)


def shown(pattern: str) -> str:
    """A declared (expanded) path as the rules write it: its root as a path or a make variable."""
    root, _, rest = pattern.partition("/")
    base = ROOTS[root]
    return f"{base}/{rest}" if base and rest else (base or rest)


def makefile() -> str:
    """The text of ``.make/steps.mk``."""
    year_folder = {key: paths.shown(folder) for key, folder in paths.year_folders("$(YEAR)").items()}
    lines = [f"# Generated from {paths.shown(STEPS_FILE)} by `python -m analysis.pipeline.makefile`: do not edit.", "",
             f"STEP_NAMES := {' '.join(s.name for s in steps())}",
             f"YEAR_STEP_NAMES := {' '.join(s.name for s in steps() if s.takes_year)}",
             f"LONG_STEP_NAMES := {' '.join(s.name for s in steps() if s.long)}",
             f"ARTICLE_YEAR := {paths.ARTICLE_YEAR}", "ifeq ($(YEAR),$(ARTICLE_YEAR))", "override YEAR :=", "endif",
             "ifeq ($(YEAR),)", "STEP_YEAR := $(ARTICLE_YEAR)", f"PROCESSED := {paths.shown(paths.PROCESSED)}",
             f"RESULTS := {paths.shown(paths.RESULTS)}", "STAMPS := .make", "else", "STEP_YEAR := $(YEAR)",
             f"PROCESSED := {year_folder['processed']}", f"RESULTS := {year_folder['results']}",
             f"STAMPS := {Path(year_folder['processed']).parent.as_posix()}/.make", "endif",
             "YEAR_RAW_FILES := " + " ".join(sorted({shown(p) for s in steps() if s.takes_year for r in s.reads
                                                     if r.startswith("raw/") and "{year}" in r for p in expand(r, "$(YEAR)")})),
             ""]
    read_elsewhere = {p for s in steps() for r in s.reads for p in expand(r, "$(STEP_YEAR)") if not is_glob(p)}
    for s in steps():
        outputs = sorted({shown(p) for w in s.writes for p in expand(w, "$(STEP_YEAR)")
                          if not is_glob(p) and p in read_elsewhere})
        if outputs:
            lines.append(f"{' '.join(outputs)}: $(STAMPS)/{s.name} ;")
    lines.append("")
    for s in steps():
        reads = [f"$(wildcard {shown(p)})" if is_glob(p) else shown(p) for r in s.reads for p in expand(r, "$(STEP_YEAR)")]
        code = [paths.shown(f) for f in code_files(s.notebook)]
        waits = sorted(f"$(STAMPS)/{d}" for d in dependencies(s.name) if any(is_glob(r) for r in s.reads))
        lines.append(f"$(STAMPS)/{s.name}: {' '.join([paths.shown(s.notebook), *reads, *code])}"
                     + (f" | {' '.join(waits)}" if waits else ""))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m analysis.pipeline.makefile OUTPUT", file=sys.stderr)
        return 2
    try:
        atomic_write_bytes(paths.resolve(argv[0]), makefile().encode("utf-8"))
    except UserError as err:
        print(f"make: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
