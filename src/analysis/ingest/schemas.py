"""Validation of the cleaned tables with pandera.

Column rules (type, required, minimum/maximum, unique, enum, pattern) are declared once, in the
Table Schema of each resource in ``data/datapackage.json``, and turned into pandera columns by
:func:`pandera_schema`. Rules across columns (urban + rural = total, a printed share consistent
with its counts) are pandera checks added here. :func:`validate` turns pandera's failure cases
into one :class:`~analysis.errors.RawDataError` naming the file, the line and the column.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from analysis.errors import LISTED, RawDataError, listing
from analysis.ingest.datapackage import base_name
from analysis.precision import consistent_at_precision, share_pct

#: Table 1 prints every share with one decimal (44.0, 47.7, ..., 85,9).
TABLE1_SHARE_DECIMALS = 1

_DTYPES = {"string": "str", "integer": "int64", "number": "float64", "boolean": "bool", "date": "str"}
_NULLABLE = {"string": "str", "integer": "Int64", "number": "float64", "boolean": "boolean", "date": "str"}


def pandas_dtypes(res: dict) -> dict[str, str]:
    """dtype to read each column of a resource with (nullable where not required)."""
    out = {}
    for fld in res["schema"]["fields"]:
        required = fld.get("constraints", {}).get("required", False)
        out[fld["name"]] = (_DTYPES if required else _NULLABLE)[fld["type"]]
    return out


def _column(fld: dict) -> pa.Column:
    cons = fld.get("constraints", {})
    required = cons.get("required", False)
    checks = []
    if "minimum" in cons:
        checks.append(pa.Check.ge(cons["minimum"], error=f"must be at least {cons['minimum']}"))
    if "maximum" in cons:
        checks.append(pa.Check.le(cons["maximum"], error=f"must be at most {cons['maximum']}"))
    if "enum" in cons:
        checks.append(pa.Check.isin(cons["enum"], error=f"must be one of {cons['enum']}"))
    if "pattern" in cons:
        checks.append(pa.Check.str_matches(cons["pattern"], error=f"must match {cons['pattern']}"))
    if fld["type"] == "string" and required:
        checks.append(pa.Check(lambda s: s.str.strip() != "", element_wise=False, error="must not be empty"))
    dtype = (_DTYPES if required else _NULLABLE)[fld["type"]]
    return pa.Column(dtype, checks=checks, nullable=not required, unique=cons.get("unique", False),
                     name=fld["name"], description=fld.get("title"))


def _share_ok(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [consistent_at_precision(share_pct(n, d), p, TABLE1_SHARE_DECIMALS) if d else p == 0
         for n, d, p in zip(df["preschools_inclusive"], df["preschools_total"], df["inclusive_share_pct"], strict=True)],
        index=df.index,
    )


#: Rules across columns, per resource base name: (check, the column a failure is reported in).
ROW_CHECKS: dict[str, list[tuple[pa.Check, str]]] = {
    "preschool-inclusion": [
        (pa.Check(lambda df: df["preschools_inclusive"] <= df["preschools_total"],
                  name="inclusive_not_above_total",
                  error="preschools with inclusive conditions exceed all preschools"), "preschools_inclusive"),
        (pa.Check(_share_ok, name="share_matches_counts",
                  error="printed share is not 100 * preschools_inclusive / preschools_total at one decimal"),
         "inclusive_share_pct"),
    ],
    "teacher-shortage": [
        (pa.Check(lambda df: df["shortage_urban"] + df["shortage_rural"] == df["shortage_total"],
                  name="urban_plus_rural_is_total",
                  error="urban + rural does not equal the total"), "shortage_total"),
        (pa.Check(lambda df: df["shortage_state"] + df["shortage_private"] == df["shortage_total"],
                  name="state_plus_private_is_total",
                  error="state + private does not equal the total"), "shortage_total"),
    ],
}


@cache
def _schema_cached(name: str, fields_json: str) -> pa.DataFrameSchema:
    fields = json.loads(fields_json)
    checks = [check for check, _ in ROW_CHECKS.get(base_name(name), [])]
    return pa.DataFrameSchema({f["name"]: _column(f) for f in fields}, checks=checks,
                              strict=True, ordered=True, name=name)


def pandera_schema(res: dict) -> pa.DataFrameSchema:
    """The pandera schema of a resource of the data package."""
    return _schema_cached(res["name"], json.dumps(res["schema"]["fields"], sort_keys=True))


def validate(frame: pd.DataFrame, res: dict, file: str | Path, label_column: str | None = None) -> pd.DataFrame:
    """Validate ``frame`` (indexed by line number) against the resource's schema.

    On failure raise one RawDataError for the first failing line, naming its column, the rule
    and the value found, and saying how many other lines fail.
    """
    try:
        return pandera_schema(res).validate(frame, lazy=True)
    except SchemaErrors as err:
        cases = err.failure_cases.copy()
        cases["line"] = pd.to_numeric(cases["index"], errors="coerce")
        cases = cases.sort_values("line", na_position="last", kind="stable")
        first = cases.iloc[0]
        check = str(first["check"])
        line = None if pd.isna(first["line"]) else int(first["line"])
        column = first["column"] if isinstance(first["column"], str) else None
        row_checks = {c.error: col for c, col in ROW_CHECKS.get(base_name(res["name"]), [])}
        if check in row_checks:  # a rule across columns: report it in the column it concerns
            column = row_checks[check]
            message = f"{check} (found {_plain(frame.at[line, column])!r})"
        elif check == "field_uniqueness":
            dup_lines = [int(i) for i in frame.index[frame[column] == first["failure_case"]]]
            message = f"duplicate value {_plain(first['failure_case'])!r}; it appears on lines {listing(dup_lines)}"
            if column == "region_iso" and "region_as_printed" in frame.columns:
                printed = [str(frame.at[i, "region_as_printed"]) for i in dup_lines]
                shown = printed if len(printed) <= LISTED else sorted(set(printed))
                message = (f"duplicate region: {listing(repr(p) for p in shown)} on lines {listing(dup_lines)} all map "
                           f"to {first['failure_case']}")
                column = "region_as_printed"
            cases = cases[~cases["line"].isin(dup_lines[1:])]
        else:
            message = _describe(check, first["failure_case"])
        label = frame.at[line, label_column] if line in frame.index and label_column else None
        label = None if label is None or pd.isna(label) else str(label)
        others = cases.loc[cases["line"] != line, "line"].nunique() + int(cases["line"].isna().sum())
        if others:
            message += f"; {others} other line{'s' if others > 1 else ''} of this file {'fail' if others > 1 else 'fails'} too"
        raise RawDataError(file, message, line=line, column=column, row_label=label) from None


def _plain(value):
    """A numpy scalar as the plain Python value (so messages show 683, not np.int64(683))."""
    return value.item() if hasattr(value, "item") else value


def _describe(check: str, found) -> str:
    found = _plain(found)
    if "Error while executing check function" in check:  # the rule cannot compare values of this type
        return (f"the rule cannot be checked on {found!r}: the column's type in data/datapackage.json does not fit "
                "its values")
    if check == "not_nullable":
        return "value is missing"
    if check.startswith("dtype("):
        return f"wrong type: expected {check}, found {found!r}"
    return f"{check}: found {found!r}"
