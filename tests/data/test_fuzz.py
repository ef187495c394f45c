"""A fuzzing layer: the raw files, the YAML registries and the data package mutated at random
(characters from every Unicode category, numbers in every notation, rows and columns added,
removed, duplicated, swapped), then cleaned (or, for the claims registry, loaded).

Whatever the mutation, the gate refuses it with one message that starts with the file it names,
or the cleaning succeeds; never another exception (a traceback), and never a changed tracked
file. Mutations that must not pass (an invisible or combining character, a count in another
notation, a raw file changed without its hash recorded) are refused; mutations that change
nothing a reader of the numbers could see (a count with a leading zero, the data package's keys
in another order) give processed files byte-identical to the stored ones.

``make test`` runs a few examples of each (deterministic); ``make fuzz`` runs 10,000 in all, at
random (``FUZZ_EXAMPLES`` per test).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis import paths
from analysis.claims.registry import RegistryError, load_registry
from analysis.errors import UserError
from analysis.ingest import clean
from analysis.ingest.datapackage import rehash

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
TABLES = ("table1_preschools_2023.csv", "table2_teacher_shortage_2023.csv")
CSV_FILES = (*TABLES, "text_statistics_2023.csv", "regions_reference.csv", "region_aliases.csv",
             "supplementary/official_statements.csv")
YAML_FILES = ("corrections.yml", "claims.yml")
#: Characters that canonical text refuses: combining marks, controls, format, private-use and
#: separator characters, and every space but U+0020.
REFUSED = st.characters(categories=["Mn", "Mc", "Me", "Cc", "Cf", "Co", "Zl", "Zp", "Zs"]).filter(lambda c: c != " ")
#: Any character of any category (surrogates cannot be written as UTF-8).
ANY = st.characters(exclude_categories=["Cs"])


def other_notation(number: str) -> st.SearchStrategy[str]:
    """The same count written in a notation the tables never use (and the gate must refuse)."""
    full_width = "".join(chr(ord(d) + 0xFEE0) for d in number)
    arabic_indic = "".join(chr(ord(d) + 0x0630) for d in number)
    return st.sampled_from([full_width, arabic_indic, f"+{number}", f"{number}.0", f"{number},0", f"{int(number)}e0",
                            f"{number} ", f" {number}", f"{int(number):,}".replace(",", " ") + ("\u00a0" if len(number) < 4 else ""),
                            f"0x{int(number):x}", f"{number}\u200b"])


@dataclass
class Mutation:
    file: str
    change: Callable[[str], str]
    #: "refuse", "identical" (the processed files as stored) or "any" (refused or accepted).
    expect: str
    what: str


def lines_of(text: str) -> list[str]:
    return text.split("\n")


@st.composite
def csv_mutations(draw) -> Mutation:
    file = draw(st.sampled_from(CSV_FILES))
    text = (paths.RAW / file).read_text(encoding="utf-8")
    rows = lines_of(text.rstrip("\n"))
    kind = draw(st.sampled_from(["refused char", "any char", "count notation", "leading zero", "add row", "remove row",
                                 "duplicate row", "swap rows", "add column", "remove column", "blank line"]))
    if kind in ("refused char", "any char"):
        char = draw(REFUSED if kind == "refused char" else ANY)
        at = draw(st.integers(0, len(text) - 1))
        if kind == "refused char":  # inside a cell, not a line break or the header's first byte
            at = max(1, at)
            while text[at - 1] in "\n\r" or text[at] in "\n\r":
                at -= 1
        return Mutation(file, lambda t: t[:at] + char + t[at:], "refuse" if kind == "refused char" else "any",
                        f"{kind} {char!r} at {at}")
    if kind in ("count notation", "leading zero") and file in TABLES:
        line = draw(st.integers(2, len(rows) - 1))
        cells = rows[line].split(",")
        counts = [i for i, c in enumerate(cells) if re.fullmatch(r"[0-9]+", c)]
        column = draw(st.sampled_from(counts))
        new = "0" + cells[column] if kind == "leading zero" else draw(other_notation(cells[column]))
        changed = ",".join([*cells[:column], new if "," not in new else f'"{new}"', *cells[column + 1:]])
        return Mutation(file, lambda t: "\n".join([*rows[:line], changed, *rows[line + 1:]]) + "\n",
                        "identical" if kind == "leading zero" else "refuse", f"{kind} {new!r} on line {line + 1}")
    if kind == "blank line":
        return Mutation(file, lambda t: t + "\n", "identical", "a blank line at the end")
    line = draw(st.integers(1, len(rows) - 1))
    other = draw(st.integers(1, len(rows) - 1))
    changed = {"add row": lambda: [*rows, ",".join(draw(st.text(ANY, max_size=6)) for _ in rows[0].split(","))],
               "remove row": lambda: rows[:line] + rows[line + 1:],
               "duplicate row": lambda: [*rows[:line + 1], rows[line], *rows[line + 1:]],
               "swap rows": lambda: [rows[other] if i == line else rows[line] if i == other else r
                                     for i, r in enumerate(rows)],
               "add column": lambda: [r + (",note" if i == 0 else ",x") for i, r in enumerate(rows)],
               "remove column": lambda: [r.rsplit(",", 1)[0] for r in rows],
               "count notation": lambda: rows, "leading zero": lambda: rows}[kind]()
    return Mutation(file, lambda t: "\n".join(changed) + "\n", "any", f"{kind} (lines {line + 1}, {other + 1})")


@st.composite
def yaml_mutations(draw) -> Mutation:
    file = draw(st.sampled_from(YAML_FILES))
    text = (paths.RAW / file).read_text(encoding="utf-8")
    rows = lines_of(text)
    keyed = [i for i, r in enumerate(rows) if re.match(r"^\s+[a-z_]+: \S", r)]
    # strings of the data (a comment may hold anything: it is not read)
    quoted = [m.start() + 1 for m in re.finditer(r'^[^#\n]*?"[^"\n]+"', text, re.M)]
    quoted = [text.index('"', at - 1, text.index("\n", at)) + 1 for at in quoted]
    kind = draw(st.sampled_from(["refused char in a string", "any char", "duplicate key", "anchor and alias", "tag",
                                 "remove line", "comment"]))
    if kind == "refused char in a string":
        at = draw(st.sampled_from(quoted)) + 1
        char = draw(REFUSED.filter(lambda c: c not in "\n\r\x85\u2028\u2029\t"))
        return Mutation(file, lambda t: t[:at] + char + t[at:], "refuse", f"{kind} {char!r} at {at}")
    if kind == "any char":
        at = draw(st.integers(0, len(text)))
        char = draw(ANY)
        return Mutation(file, lambda t: t[:at] + char + t[at:], "any", f"{kind} {char!r} at {at}")
    line = draw(st.sampled_from(keyed))
    if kind == "duplicate key":
        return Mutation(file, lambda t: "\n".join([*rows[:line + 1], rows[line], *rows[line + 1:]]), "refuse",
                        f"{kind} on line {line + 1}")
    if kind == "anchor and alias":
        key, _, value = rows[line].partition(": ")
        changed = [*rows[:line], f"{key}: &x {value}", *rows[line + 1:]]
        return Mutation(file, lambda t: "\n".join(changed), "refuse", f"{kind} on line {line + 1}")
    if kind == "tag":
        tag = draw(st.sampled_from(["!!str", "!!python/object:os.system", "!custom", "!!binary"]))
        key, _, value = rows[line].partition(": ")
        changed = [*rows[:line], f"{key}: {tag} {value}", *rows[line + 1:]]
        return Mutation(file, lambda t: "\n".join(changed), "refuse", f"{kind} {tag} on line {line + 1}")
    if kind == "comment":
        return Mutation(file, lambda t: t + "# a note\n", "identical", kind)
    return Mutation(file, lambda t: "\n".join(rows[:line] + rows[line + 1:]), "any", f"{kind} {line + 1}")


@st.composite
def package_mutations(draw) -> Mutation:
    kind = draw(st.sampled_from(["field type", "remove resource", "resource path", "reorder keys", "any char"]))
    if kind == "any char":
        text = paths.DATAPACKAGE.read_text(encoding="utf-8")
        at, char = draw(st.integers(0, len(text))), draw(ANY)
        return Mutation("../datapackage.json", lambda t: t[:at] + char + t[at:], "any", f"{kind} {char!r} at {at}")
    package = json.loads(paths.DATAPACKAGE.read_text(encoding="utf-8"))
    index = draw(st.integers(0, len(package["resources"]) - 1))
    resource = package["resources"][index]
    if kind == "field type":
        with_schema = [r for r in package["resources"] if "schema" in r]
        field = draw(st.sampled_from(draw(st.sampled_from(with_schema))["schema"]["fields"]))
        field["type"] = draw(st.sampled_from(["integr", "number", "integer", "string", "", "date", "Integer"]))
    elif kind == "remove resource":
        del package["resources"][index]
    elif kind == "resource path":
        resource["path"] = draw(st.sampled_from(["raw/../../outside.csv", "/etc/passwd", "raw/missing.csv",
                                                 "processed/regions.csv", resource["path"] + " "]))
    else:
        package = {key: package[key] for key in reversed(list(package))}
    text = json.dumps(package, ensure_ascii=False, indent=1)
    return Mutation("../datapackage.json", lambda t: text, "identical" if kind == "reorder keys" else "any", kind)


def tracked_state() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.PROJECT_ROOT,
                          capture_output=True, text=True).stdout


@functools.cache
def stored() -> dict[str, bytes]:
    """The stored processed files."""
    return {p.name: p.read_bytes() for p in paths.PROCESSED.iterdir()}


@pytest.fixture(scope="module", autouse=True)
def no_tracked_file_changes():
    before = tracked_state()
    yield
    assert tracked_state() == before, "a fuzzed run changed a tracked file"


def apply(tmp: Path, mutation: Mutation, record_hash: bool) -> Path:
    root = tmp / "data"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(paths.DATA, root, ignore=shutil.ignore_patterns("processed"))
    file = root / "raw" / mutation.file
    file.write_bytes(mutation.change(file.read_text(encoding="utf-8")).encode("utf-8"))
    if record_hash:
        try:
            rehash(root / "datapackage.json")
        except UserError:
            pass  # a package the mutation broke: the run below must say so
    return root


def check(root: Path, mutation: Mutation, run) -> None:
    try:
        produced = run(root)
    except (UserError, RegistryError) as err:
        message = str(err)
        assert message.startswith(str(root)), f"{mutation.what}: the message does not start with the file: {message}"
        assert "\n" not in message.strip(), f"{mutation.what}: one message, one line: {message}"
        assert mutation.expect in ("refuse", "any"), f"{mutation.what}: refused, but it changes nothing: {message}"
        return
    assert mutation.expect != "refuse", f"{mutation.what}: accepted, but it must be refused"
    if mutation.expect == "identical" and produced is not None:
        assert produced == stored(), f"{mutation.what}: the processed files differ from the stored ones"


def clean_into(tmp: Path):
    def run(root: Path) -> dict[str, bytes]:
        from support import write_processed

        cleaned = clean.clean_extracts(2023, root / "raw", root / "datapackage.json")
        write_processed(cleaned, tmp / "processed", tmp / "results")
        # the copy's raw files are named by their absolute path where the stored files say data/
        return {p.name: p.read_bytes().replace(str(root).encode(), b"data") for p in (tmp / "processed").iterdir()}
    return run


def load_claims(root: Path) -> None:
    load_registry(root / "raw", root / "datapackage.json")


@FUZZ
@given(mutation=csv_mutations(), record_hash=st.booleans())
def test_mutated_raw_tables_are_refused_naming_the_file_or_cleaned(tmp_path, mutation, record_hash):
    root = apply(tmp_path, mutation, record_hash)
    expect = mutation.expect if record_hash else "refuse"  # a changed file whose hash was not recorded
    changed = (root / "raw" / mutation.file).read_bytes() != (paths.RAW / mutation.file).read_bytes()
    check(root, Mutation(mutation.file, mutation.change, expect if changed else "identical", mutation.what),
          clean_into(tmp_path))


@FUZZ
@given(mutation=yaml_mutations())
def test_mutated_yaml_is_refused_naming_the_file_or_read(tmp_path, mutation):
    root = apply(tmp_path, mutation, record_hash=True)
    run = load_claims if mutation.file == "claims.yml" else clean_into(tmp_path)
    check(root, mutation, run)


@FUZZ
@given(mutation=package_mutations())
def test_a_mutated_data_package_is_refused_naming_it_or_used(tmp_path, mutation):
    root = apply(tmp_path, mutation, record_hash=False)
    check(root, mutation, clean_into(tmp_path))
