"""Cleaning the supplementary series: dated official statements about the special-education network.

``data/raw/supplementary/official_statements.csv`` is a separate source from the article (news
reports of Ministry statements and one government letter, 2022-2026; see the README beside it).
The cleaning step reads it through the gate (hash, header, canonical text), checks every row and
writes ``data/processed/official_statements.csv``: every row kept, with its line in the raw file,
its reference date and its ``role``:

* ``observation``: a number stated as exact, about the network at a stated time;
* ``lower_bound`` (qualifier ``more_than``) and ``approximate`` (``about``): a bound is not a value;
* ``target``: a plan, not an observation;
* ``other_indicator``: ``other:...`` indicators with definitions of their own (e.g. the 213
  "special education facilities" of July 2022 is not a network total).

Dates: ``date_quality`` is ``exact`` or ``inferred`` (the page showed no date; day and month are
placeholders). The reference date of a number follows ``refers_to`` (:data:`REFERENCE_RULES`).
It is never merged into the article's tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.errors import RawDataError

RESOURCE = "supplementary-official-statements"
README_RESOURCE = "supplementary-readme"
DATE_QUALITIES = ("exact", "inferred")
QUALIFIERS = ("exact", "more_than", "about", "target")
ROLE_BY_QUALIFIER = {"exact": "observation", "more_than": "lower_bound", "about": "approximate", "target": "target"}


def _current(date: pd.Timestamp, match) -> pd.Timestamp:
    return date


def _start_of_year(date: pd.Timestamp, match) -> pd.Timestamp:
    return pd.Timestamp(year=date.year, month=1, day=1)


def _end_of(date: pd.Timestamp, match) -> pd.Timestamp:
    return pd.Timestamp(year=int(match.group(1)), month=12, day=31)


def _as_of(date: pd.Timestamp, match) -> pd.Timestamp:
    if int(match.group(1)) != date.year:
        raise ValueError("'as of' a year other than the statement's")
    return date


#: ``refers_to`` pattern -> reference date of the number (None: a target, no reference date).
REFERENCE_RULES = [
    (r"current", _current),
    (r"start of current year", _start_of_year),
    (r"end of (\d{4})", _end_of),
    (r"(\d{4}) results", _end_of),
    (r"as of (\d{4})", _as_of),
    (r"by \d{4}", None),
    (r"Concept plan", None),
]


def reference_date(refers_to: str, statement_date: pd.Timestamp):
    """The date a number stated on ``statement_date`` describes, by the first rule of
    :data:`REFERENCE_RULES` that ``refers_to`` matches: ``NaT`` for a target, ``KeyError`` if none
    matches."""
    for pattern, rule in REFERENCE_RULES:
        match = re.fullmatch(pattern, refers_to.strip())
        if match:
            return pd.NaT if rule is None else rule(statement_date, match)
    raise KeyError(refers_to)


def _fail_where(bad: pd.Series, text: pd.DataFrame, path: Path, column: str, message: str) -> None:
    if bad.any():
        line = bad.index[np.argmax(bad.to_numpy())]
        raise RawDataError(path, f"{message}, found {text.at[line, column]!r}", line=int(line), column=column)


def clean_statements(text: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Every row of the supplementary file (as read by the gate), checked, with line, reference date
    and role; dates as ``YYYY-MM-DD`` text (empty for targets)."""
    dates = pd.to_datetime(text["statement_date"], format="%Y-%m-%d", errors="coerce")
    _fail_where(dates.isna(), text, path, "statement_date", "expected a date YYYY-MM-DD")
    values = pd.to_numeric(text["value"], errors="coerce")
    _fail_where(values.isna() | (values < 0), text, path, "value", "expected a non-negative number")
    _fail_where(~text["date_quality"].isin(DATE_QUALITIES), text, path, "date_quality", f"expected one of {DATE_QUALITIES}")
    _fail_where(~text["qualifier"].isin(QUALIFIERS), text, path, "qualifier", f"expected one of {QUALIFIERS}")
    refs = []
    for line, refers_to, date, qualifier in zip(text.index, text["refers_to"], dates, text["qualifier"], strict=True):
        try:
            ref = reference_date(refers_to, date)
        except (KeyError, ValueError) as err:
            raise RawDataError(path, f"no rule for refers_to {refers_to!r} ({err}); add one to REFERENCE_RULES",
                               line=int(line), column="refers_to") from None
        if pd.isna(ref) != (qualifier == "target"):
            raise RawDataError(path, "a target must refer to a plan and only a target may", line=int(line),
                               column="qualifier")
        refs.append(ref)
    role = text["qualifier"].map(ROLE_BY_QUALIFIER)
    out = pd.DataFrame({
        "line": text.index.astype("int64"),
        "statement_date": dates.dt.strftime("%Y-%m-%d").to_numpy(),
        "date_quality": text["date_quality"].to_numpy(),
        "refers_to": text["refers_to"].to_numpy(),
        "reference_date": pd.to_datetime(pd.Series(refs)).dt.strftime("%Y-%m-%d").to_numpy(),
        "indicator": text["indicator"].to_numpy(),
        "value": values.astype("float64").to_numpy(),
        "qualifier": text["qualifier"].to_numpy(),
        "role": role.where(~text["indicator"].str.startswith("other:"), "other_indicator").astype("str").to_numpy(),
        "exact_date": (text["date_quality"] == "exact").to_numpy(),
        "speaker": text["speaker"].to_numpy(),
        "source_url": text["source_url"].to_numpy(),
        "source_title": text["source_title"].to_numpy(),
        "quote": text["quote"].to_numpy(),
    }, index=text.index)
    return out
