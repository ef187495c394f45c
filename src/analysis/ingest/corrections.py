"""Recorded corrections of printing errors, applied by code.

The raw files stay exactly as the article printed them. Each known error is an entry of
``data/raw/corrections.yml`` (what: resource and column; where: a match on printed values
that selects exactly one row; the printed and the new value; reason; evidence; status).
:func:`apply_corrections` applies the ``applied`` entries of one resource and returns the log
rows that go to ``data/processed/corrections_log.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from difflib import get_close_matches
from pathlib import Path

import pandas as pd

from analysis.errors import RawDataError
from analysis.ingest.canonical import check_strings
from analysis.ingest.rawio import read_yaml
from analysis.paths import shown

ACTIONS = ("replace",)
STATUSES = ("applied", "withdrawn")
LOG_COLUMNS = [
    "correction_id", "resource", "file", "line", "row_label", "column", "old_value", "new_value",
    "action", "reason", "evidence",
]


@dataclass(frozen=True)
class Correction:
    """One entry of ``data/raw/corrections.yml``: which cell (resource, a match selecting one row,
    column), its printed ``old`` and its ``new`` value, the reason, the evidence and the status."""

    id: str
    resource: str
    match: dict[str, str]
    column: str
    old: str
    new: str
    action: str
    reason: str
    evidence: str
    status: str
    #: Line of the entry in corrections.yml (for messages).
    line: int | None = None


def load_corrections(path: str | Path) -> list[Correction]:
    """Read and check the corrections file; a malformed entry stops the run, naming its line and id."""
    path = Path(path)
    entries, lines = read_yaml(path)
    check_strings(entries, path, lines)
    entries = entries or []
    if not isinstance(entries, list):
        raise RawDataError(path, "expected a list of corrections")
    names = [f.name for f in fields(Correction) if f.name != "line"]
    corrections, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        line = lines.item(entries, number - 1)
        ident = entry.get("id") if isinstance(entry, dict) else None
        item = f"correction {ident}" if isinstance(ident, str) and ident.strip() else f"entry {number}"

        def fail(problem: str, line=line, item=item):
            raise RawDataError(path, problem, line=line, item=item)

        if not isinstance(entry, dict) or set(entry) != set(names):
            got = sorted(entry) if isinstance(entry, dict) else f"{type(entry).__name__} {entry!r}"
            fail(f"expected the keys {sorted(names)}, found {got}")
        # Printed values are compared as text: YAML must give them as strings ("1.10", not 1.10,
        # which YAML would read as the number 1.1).
        not_text = [k for k in names if k != "match" and not isinstance(entry[k], str)]
        if not_text:
            fail(f"{not_text[0]!r} must be a quoted string, found {entry[not_text[0]]!r}")
        empty = [k for k in ("id", "resource", "column", "reason", "evidence") if not entry[k].strip()]
        if empty:
            fail(f"{empty[0]!r} must not be empty")
        if not isinstance(entry["match"], dict) or not entry["match"] or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in entry["match"].items()):
            fail("'match' must map column names to printed values, all quoted strings")
        if entry["action"] not in ACTIONS:
            fail(f"unknown action '{entry['action']}', known: {ACTIONS}")
        if entry["status"] not in STATUSES:
            fail(f"unknown status '{entry['status']}', known: {STATUSES}")
        if entry["id"] in seen:
            fail(f"id '{entry['id']}' is used twice")
        seen.add(entry["id"])
        corrections.append(Correction(**entry, line=line))
    return corrections


def check_resources(corrections: list[Correction], known: set[str], path: str | Path) -> None:
    """Every applied correction names a resource the data package describes (a misspelled one
    would otherwise never apply, silently)."""
    for corr in corrections:
        if corr.status == "applied" and corr.resource not in known:
            close = get_close_matches(corr.resource, sorted(known), n=1)
            raise RawDataError(path, f"resource '{corr.resource}' is not in data/datapackage.json, so the "
                               "correction would never apply" + (f" (did you mean '{close[0]}'?)" if close else ""),
                               line=corr.line, item=f"correction {corr.id}")


def apply_corrections(
    frame: pd.DataFrame,
    resource: str,
    corrections: list[Correction],
    file: str | Path,
    label_column: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Apply the ``applied`` corrections of ``resource`` to a raw text frame.

    ``frame`` holds the printed strings, indexed by line number. Each correction must match
    exactly one row and find its printed ``old`` value in ``column``; otherwise the raw data
    and the record disagree and the run stops. Returns the corrected copy and the log.
    """
    frame = frame.copy()
    log = []
    for corr in (c for c in corrections if c.resource == resource and c.status == "applied"):
        unknown = [c for c in [*corr.match, corr.column] if c not in frame.columns]
        if unknown:
            raise RawDataError(file, f"correction {corr.id} names a column the file does not have "
                               f"(data/raw/corrections.yml, line {corr.line})", column=unknown[0])
        hit = pd.Series(True, index=frame.index)
        for column, value in corr.match.items():
            hit &= frame[column] == value
        if hit.sum() != 1:
            raise RawDataError(
                file,
                f"correction {corr.id} must match exactly one row, matches {int(hit.sum())} "
                f"({corr.match}); the raw file and data/raw/corrections.yml (line {corr.line}) disagree",
                column=next(iter(corr.match)),
            )
        line = frame.index[hit.argmax()]
        row_label = frame.at[line, label_column] if label_column else None
        if frame.at[line, corr.column] != corr.old:
            raise RawDataError(
                file,
                f"correction {corr.id} expects the printed value '{corr.old}', found "
                f"'{frame.at[line, corr.column]}'",
                line=int(line), column=corr.column, row_label=row_label,
            )
        frame.at[line, corr.column] = corr.new
        log.append([corr.id, resource, shown(file), int(line), row_label, corr.column, corr.old,
                    corr.new, corr.action, " ".join(corr.reason.split()), " ".join(corr.evidence.split())])
    log_frame = pd.DataFrame(log, columns=LOG_COLUMNS).astype({c: "str" for c in LOG_COLUMNS})
    return frame, log_frame.astype({"line": "int64"})
