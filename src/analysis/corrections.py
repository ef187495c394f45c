"""Recorded corrections of printing errors, applied by code.

The raw files stay exactly as the article printed them. Each known error is an entry of
``data/raw/corrections.yml`` (what: resource and column; where: a match on printed values
that selects exactly one row; the printed and the new value; reason; evidence; status).
:func:`apply_corrections` applies the ``applied`` entries of one resource and returns the log
rows that go to ``data/processed/corrections_log.csv``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd
import yaml

from analysis.errors import RawDataError
from analysis.paths import shown

ACTIONS = ("replace",)
STATUSES = ("applied", "withdrawn")
LOG_COLUMNS = [
    "correction_id", "resource", "file", "line", "row_label", "column", "old_value", "new_value",
    "action", "reason", "evidence",
]


@dataclass(frozen=True)
class Correction:
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


def load_corrections(path: str | Path) -> list[Correction]:
    """Read and check the corrections file; a malformed entry stops the run."""
    path = Path(path)
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as err:
        raise RawDataError(path, f"not valid YAML: {err}") from None
    if not isinstance(entries, list):
        raise RawDataError(path, "expected a list of corrections")
    names = [f.name for f in fields(Correction)]
    corrections, seen = [], set()
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number} ({entry.get('id', 'no id') if isinstance(entry, dict) else entry})"
        if not isinstance(entry, dict) or set(entry) != set(names):
            got = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise RawDataError(path, f"{where}: expected the keys {sorted(names)}, found {got}")
        # Printed values are compared as text: YAML must give them as strings ("1.10", not 1.10,
        # which YAML would read as the number 1.1).
        not_text = [k for k in names if k != "match" and not isinstance(entry[k], str)]
        if not_text:
            raise RawDataError(path, f"{where}: {not_text[0]!r} must be a quoted string, found {entry[not_text[0]]!r}")
        empty = [k for k in ("id", "resource", "column", "reason", "evidence") if not entry[k].strip()]
        if empty:
            raise RawDataError(path, f"{where}: {empty[0]!r} must not be empty")
        if not isinstance(entry["match"], dict) or not entry["match"] or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in entry["match"].items()):
            raise RawDataError(path, f"{where}: 'match' must map column names to printed values, all quoted strings")
        if entry["action"] not in ACTIONS:
            raise RawDataError(path, f"{where}: unknown action '{entry['action']}', known: {ACTIONS}")
        if entry["status"] not in STATUSES:
            raise RawDataError(path, f"{where}: unknown status '{entry['status']}', known: {STATUSES}")
        if entry["id"] in seen:
            raise RawDataError(path, f"{where}: id '{entry['id']}' is used twice")
        seen.add(entry["id"])
        corrections.append(Correction(**entry))
    return corrections


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
            raise RawDataError(file, f"correction {corr.id} names a column the file does not have", column=unknown[0])
        hit = pd.Series(True, index=frame.index)
        for column, value in corr.match.items():
            hit &= frame[column] == value
        if hit.sum() != 1:
            raise RawDataError(
                file,
                f"correction {corr.id} must match exactly one row, matches {int(hit.sum())} "
                f"({corr.match}); the raw file and data/raw/corrections.yml disagree",
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
