"""What the step declaration writes: the Makefile's step rules and the README's table of notebooks.

``python -m analysis.pipeline.generate makefile .make/steps.mk`` writes the step rules the
Makefile includes: each step's stamp depends on its notebook, the files it reads, the code it
uses and the code every step uses; each file a step writes and a later step reads depends on the
writer's stamp (so a step that re-runs but writes the same bytes stops the cascade); a step that
reads by glob waits for the steps that write there. ``python -m analysis.pipeline.generate readme``
rewrites the README's table between ``<!-- steps:begin -->`` and ``<!-- steps:end -->``;
``python -m analysis.pipeline.generate methods`` the versions in ``METHODS.md`` from the lock (``make
lock`` runs it).
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis import paths
from analysis.i18n import LANGUAGES
from analysis.lockfile import LOCK, METHODS_PACKAGES, locked_versions  # noqa: F401  (also imported from here)
from analysis.pipeline import SOURCE, STEPS_FILE, declaration, dependencies, expand, resolve, steps

README_BEGIN, README_END = "<!-- steps:begin -->", "<!-- steps:end -->"
VERSIONS_BEGIN, VERSIONS_END = "<!-- versions:begin -->", "<!-- versions:end -->"
METHODS = paths.PROJECT_ROOT / "METHODS.md"

HEADER = f"# Generated from {paths.shown(STEPS_FILE)} by `python -m analysis.pipeline.generate makefile`: do not edit."


def _is_glob(text: str) -> bool:
    return any(c in text for c in "*?[")


def _shown(pattern: str) -> str:
    return paths.shown(resolve(pattern))


def _code(patterns) -> list[str]:
    """Source files of src/analysis named by patterns (globs as make wildcards)."""
    out = []
    for pattern in patterns:
        path = paths.shown(SOURCE / pattern)
        out.append(f"$(wildcard {path})" if _is_glob(pattern) else path)
    return out


def makefile() -> str:
    lines = [HEADER, "", f"STEP_NAMES := {' '.join(s.name for s in steps())}",
             f"COMMON := {' '.join(_code(declaration()['common']))} pyproject.toml", ""]
    read_elsewhere = {p for s in steps() for r in s.reads for p in expand(r) if not _is_glob(p)}
    for s in steps():
        outputs = sorted({_shown(p) for w in s.writes for p in expand(w) if not _is_glob(p) and p in read_elsewhere})
        if outputs:
            lines.append(f"{' '.join(outputs)}: $(STAMPS)/{s.name} ;")
    lines.append("")
    for s in steps():
        reads = []
        for read in s.reads:
            for p in expand(read):
                reads.append(f"$(wildcard {_shown(p)})" if _is_glob(p) else _shown(p))
        waits = sorted(f"$(STAMPS)/{d}" for d in dependencies(s.name)
                       if any(_is_glob(r) for r in s.reads))
        prerequisites = " ".join([*reads, *_code(s.uses)])
        lines.append(f"$(STAMPS)/{s.name}: {prerequisites}" + (f" | {' '.join(waits)}" if waits else ""))
    return "\n".join(lines) + "\n"


def _listing(patterns) -> str:
    shown = []
    for pattern in patterns:
        text = _shown(pattern.replace("{lang}", "{" + ",".join(LANGUAGES) + "}"))
        shown.append(f"`{text}`")
    return ", ".join(shown)


def readme_table() -> str:
    rows = ["| notebook | what | reads | writes |", "| --- | --- | --- | --- |"]
    for s in steps():
        reads = [r for r in s.reads if r != "datapackage"]
        rows.append(f"| `{s.name}` | {s.title}{' (takes a year)' if s.takes_year else ''} | {_listing(reads)} | "
                    f"{_listing(s.writes)} |")
    return "\n".join([README_BEGIN, *rows, README_END])


def record_in_readme(readme: Path = paths.PROJECT_ROOT / "README.md") -> bool:
    text = readme.read_text(encoding="utf-8")
    begin, end = text.index(README_BEGIN), text.index(README_END) + len(README_END)
    new = text[:begin] + readme_table() + text[end:]
    if new != text:
        readme.write_text(new, encoding="utf-8")
    return new != text


def versions_table(lock: Path = LOCK) -> str:
    locked = locked_versions(lock)
    rows = ["| package | version (requirements.lock) |", "| --- | --- |"]
    for name in METHODS_PACKAGES:
        if name not in locked:
            raise ValueError(f"{paths.shown(lock)}: {name} is not pinned")
        rows.append(f"| {name} | {', '.join(dict.fromkeys(locked[name]))} |")
    return "\n".join([VERSIONS_BEGIN, *rows, VERSIONS_END])


def record_in_methods(methods: Path = METHODS, lock: Path = LOCK) -> bool:
    text = methods.read_text(encoding="utf-8")
    begin, end = text.index(VERSIONS_BEGIN), text.index(VERSIONS_END) + len(VERSIONS_END)
    new = text[:begin] + versions_table(lock) + text[end:]
    if new != text:
        methods.write_text(new, encoding="utf-8")
    return new != text


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["makefile"] and len(argv) == 2:
        from analysis.ingest.rawio import atomic_write_bytes

        atomic_write_bytes(paths.resolve(argv[1]), makefile().encode("utf-8"))
        return 0
    if argv == ["readme"]:
        print("README table " + ("rewritten" if record_in_readme() else "current"))
        return 0
    if argv == ["methods"]:
        print("METHODS.md versions " + ("rewritten" if record_in_methods() else "current"))
        return 0
    print("usage: python -m analysis.pipeline.generate makefile FILE | readme | methods", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

