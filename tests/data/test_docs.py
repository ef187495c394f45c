"""The documentation names only what exists: every repository path and every ``analysis.…`` name
in README.md, METHODS.md and docs/*.md.

What counts as a path:

* in inline code (`...`): each word that ends with a file extension, ends with ``/``, or starts
  with a top-level entry of the repository (``data/``, ``src/``, ``Makefile``, ...), read from the
  project root; a bare file name (``errata_kk.md``) must exist somewhere in the repository;
* in fenced ``sh`` blocks: each word with a ``/`` that starts with a top-level entry (other fenced
  blocks are examples: a new step's YAML names files that do not exist yet);
* in links ``[text](target)``: every target that is not a URL or an anchor, read from the
  document's own folder.

Patterns are globbed: ``*``, ``{lang}``, ``{year}``, ``<year>``, ``<stem>`` and ``...`` stand for any
text, ``{kk,ru,en}`` for each of its alternatives. Not checked, because a run or an install creates
them and a fresh clone does not have them: ``build/``, ``.venv/``, ``.make/``, ``*.egg-info``;
absolute paths and URLs are outside the repository.
"""

from __future__ import annotations

import importlib
import itertools
import re
from pathlib import Path

import pytest

from analysis import paths

ROOT = paths.PROJECT_ROOT
DOCS = [ROOT / "README.md", ROOT / "METHODS.md", *sorted((ROOT / "docs").glob("*.md"))]
EXTENSIONS = {"md", "csv", "py", "yml", "yaml", "json", "toml", "lock", "ipynb", "html", "cff", "txt", "png",
              "svg", "tex", "css", "mk", "in", "cfg"}
#: Created by make or an install, absent from a fresh clone (see the module's docstring).
GENERATED = re.compile(r"^(?:build|\.venv|\.make)(?:/|$)|\.egg-info(?:/|$)")
PLACEHOLDER = re.compile(r"\{(?:lang|year|step)\}|<[A-Za-z_ ]+>|\.\.\.|…")
SKIPPED_DIRS = {".git", ".venv", "build", ".make", "__pycache__", ".pytest_cache", ".ruff_cache"}
TOP_LEVEL = {p.name for p in ROOT.iterdir() if p.name not in SKIPPED_DIRS}


def expand(pattern: str) -> list[str]:
    """``{a,b}`` alternatives expanded, placeholders as ``*``."""
    pattern = PLACEHOLDER.sub("*", pattern)
    parts = re.split(r"\{([^{}]*,[^{}]*)\}", pattern)
    choices = [[p] if i % 2 == 0 else p.split(",") for i, p in enumerate(parts)]
    return ["".join(c) for c in itertools.product(*choices)]


def exists(pattern: str, base: Path) -> bool:
    for candidate in expand(pattern):
        if "*" in candidate or "?" in candidate:
            if any(base.glob(candidate.rstrip("/"))):
                continue
            return False
        if not (base / candidate).exists():
            return False
    return True


def files_named(name: str) -> bool:
    """A file or folder called ``name`` (a pattern) somewhere in the repository."""
    names = expand(name)
    for path in ROOT.rglob("*"):
        if SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
            continue
        if any(Path(path.name).match(n) for n in names):
            return True
    return False


def is_path(word: str, bare_too: bool) -> bool:
    if not word or "://" in word or word.startswith(("/", "~", "-", "$")) or "=" in word:
        return False
    first = word.split("/")[0]
    if "/" in word:
        return first in TOP_LEVEL or bare_too and (word.endswith("/") or word.rsplit(".", 1)[-1] in EXTENSIONS)
    return bare_too and (first in TOP_LEVEL or word.rsplit(".", 1)[-1] in EXTENSIONS and "." in word)


def words(code: str) -> list[str]:
    return [w.strip("\"'(),;:`") for w in code.split()]


def named(doc: Path) -> list[tuple[str, Path]]:
    """(path as written, folder it is read from) for every path ``doc`` names."""
    text = doc.read_text(encoding="utf-8")
    found = []
    fences = re.compile(r"^ *```(\w*)\n(.*?)^ *```", re.S | re.M)
    for fence in fences.finditer(text):
        if fence.group(1) == "sh":
            found += [(w, ROOT) for w in words(fence.group(2)) if is_path(w, bare_too=False)]
    prose = fences.sub("", text)
    prose = re.sub(r"<!--.*?-->", "", prose, flags=re.S)
    for span in re.findall(r"`([^`]+)`", prose):
        found += [(w, ROOT) for w in words(span) if is_path(w, bare_too=True)]
    for target in re.findall(r"\]\(([^)\s]+)\)", prose):
        target = target.split("#")[0]
        if target and not re.match(r"^[a-z]+:", target):
            found.append((target, doc.parent))
    return [(w, base) for w, base in found if not GENERATED.search(w)]


def missing(doc: Path) -> list[str]:
    gone = []
    for word, base in named(doc):
        if "/" in word.rstrip("/") or base != ROOT:
            if not exists(word, base):
                gone.append(word)
        elif not files_named(word.rstrip("/")):
            gone.append(word)
    return sorted(set(gone))


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.relative_to(ROOT).as_posix())
def test_every_path_a_document_names_exists(doc):
    assert not missing(doc), f"{doc.relative_to(ROOT)} names paths that do not exist: {missing(doc)}"


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: d.relative_to(ROOT).as_posix())
def test_every_analysis_name_a_document_gives_exists(doc):
    """``analysis.pipeline.run``, ``analysis.ingest.corrections.apply_corrections``: a module, or a
    name in one."""
    text = re.sub(r"^ *```.*?^ *```", "", doc.read_text(encoding="utf-8"), flags=re.S | re.M)
    gone = []
    for span in re.findall(r"`([^`]+)`", text):
        for name in re.findall(r"(?<![\w./])analysis(?:\.\w+)+", span):
            parts = name.split(".")
            for cut in range(len(parts), 0, -1):
                try:
                    target = importlib.import_module(".".join(parts[:cut]))
                    break
                except ImportError:
                    continue
            for attribute in parts[cut:]:
                target = getattr(target, attribute, None)
            if target is None:
                gone.append(name)
    assert not gone, f"{doc.relative_to(ROOT)} names what the package does not have: {gone}"


def test_the_checker_finds_a_missing_path(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("See `src/analysis/nowhere.py`, `results/tables/table1_preschools_{lang}.csv`, "
                   "`build/years/2024/`, [methods](../nowhere.md) and `tests/unit/test_stats_*.py`.\n"
                   "```sh\nmake reproduce\nls data/raw/nothing_here.csv\n```\n", encoding="utf-8")
    assert missing(doc) == ["../nowhere.md", "data/raw/nothing_here.csv", "src/analysis/nowhere.py"]


def test_the_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 150, f"README.md has {len(lines)} lines; move detail to docs/"


def test_the_benchmark_has_its_place_in_the_maintainers_guide():
    from tools import bench

    text = bench.DOC.read_text(encoding="utf-8")
    assert text.count(bench.BEGIN) == 1 and text.count(bench.END) == 1
    assert text.index(bench.BEGIN) < text.index(bench.END)


def test_the_package_docstring_lists_every_subpackage_and_module():
    """``help(analysis)`` names what the package holds, each once, and nothing else."""
    import pkgutil

    import analysis

    listed = re.findall(r"^``(\w+)``", analysis.__doc__, re.M)
    assert sorted(listed) == sorted(m.name for m in pkgutil.iter_modules(analysis.__path__))


@pytest.mark.parametrize("package", ["analysis.ingest"])
def test_every_public_function_has_a_docstring(package):
    import inspect
    import pkgutil

    root = importlib.import_module(package)
    bare = []
    for info in pkgutil.walk_packages(root.__path__, f"{package}."):
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            members = [(name, obj)]
            if inspect.isclass(obj):
                members += [(f"{name}.{n}", m.fget if isinstance(m, property) else m)
                             for n, m in vars(obj).items() if not n.startswith("_")]
            bare += [f"{info.name}.{n}" for n, f in members
                     if inspect.isfunction(f) and not inspect.getdoc(f)
                     or inspect.isclass(f) and (f.__doc__ or "").startswith(f"{f.__name__}(")]
    assert not bare, f"public functions without a docstring: {bare}"


def test_the_processed_columns_in_the_data_guide_are_the_data_packages():
    import json

    guide = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    table = guide.split("<!-- processed-columns:", 1)[1].split("\n\n", 1)[0]
    stated = {m.group(1): re.findall(r"`(\w+)`", m.group(2))
              for m in re.finditer(r"^\| `([\w.]+)` \| (.*) \|$", table, re.M)}
    package = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    processed = {r["path"].removeprefix("processed/"): [f["name"] for f in r["schema"]["fields"]]
                 for r in package["resources"] if r["path"].startswith("processed/")}
    assert stated == processed, "docs/data.md's table of processed files differs from data/datapackage.json"
