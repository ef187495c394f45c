"""The supplementary series: dated official statements about the special-education network.

``data/raw/supplementary/official_statements.csv`` is a separate source from the article (news
reports of Ministry statements and one government letter, 2022-2026; see the README beside it).
It is read here on its own and never merged into the article's tables. Every row is kept; each
gets a ``role`` saying whether, and how, the trend analysis may use it:

* ``observation``: a number stated as exact, about the network at a stated time: used;
* ``lower_bound`` (qualifier ``more_than``) and ``approximate`` (``about``): listed, not used in
  the trend tests (a bound is not a value) but shown in the figure and the comparison;
* ``target``: a plan, not an observation: never used as data;
* ``other_indicator``: ``other:...`` indicators with definitions of their own (e.g. the 213
  "special education facilities" of July 2022 is not a network total): not a series.

Dates: ``date_quality`` is ``exact`` or ``inferred`` (the page showed no date; day and month are
placeholders). The reference date of a number follows ``refers_to`` (:data:`REFERENCE_RULES`);
a sensitivity analysis keeps only rows with exact dates.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import paths
from analysis.datapackage import field_names, field_scripts, load_package, resource
from analysis.errors import RawDataError
from analysis.rawio import read_csv_text, sha256_file

RESOURCE = "supplementary-official-statements"
DEFAULT_PATH = paths.RAW / "supplementary" / "official_statements.csv"
DATE_QUALITIES = ("exact", "inferred")
QUALIFIERS = ("exact", "more_than", "about", "target")
ROLE_BY_QUALIFIER = {"exact": "observation", "more_than": "lower_bound", "about": "approximate", "target": "target"}
#: Indicators that are counts (a Poisson trend applies); the ``*_pct`` indicators are shares.
COUNT_INDICATORS = ("special_orgs_total", "special_preschools", "special_schools", "pmpk", "kppk",
                    "rehab_centres", "autism_centres", "children_sen_total")
#: The article's start-of-2024 counts (national_indicators S01-S07) and their indicators.
ARTICLE_START_2024 = {"S01": "special_orgs_total", "S02": "special_preschools", "S03": "special_schools",
                      "S04": "pmpk", "S05": "kppk", "S06": "rehab_centres", "S07": "autism_centres"}


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
    for pattern, rule in REFERENCE_RULES:
        match = re.fullmatch(pattern, refers_to.strip())
        if match:
            return pd.NaT if rule is None else rule(statement_date, match)
    raise KeyError(refers_to)


def load_statements(path: str | Path = DEFAULT_PATH, package_path: str | Path = paths.DATAPACKAGE) -> pd.DataFrame:
    """Every row of the supplementary file, checked, typed, with reference date and role.

    The sha256 is checked against ``data/datapackage.json``; a wrong date, number, date quality,
    qualifier or ``refers_to`` stops with one message naming the line and column.
    """
    path, package_path = paths.resolve(path), paths.resolve(package_path)
    res = resource(load_package(package_path), RESOURCE)
    recorded = res.get("hash", "").removeprefix("sha256:")
    actual = sha256_file(path)
    if actual != recorded:
        raise RawDataError(path, f"sha256 is {actual}, but {paths.shown(package_path)} records {recorded or 'none'}: "
                           "the supplementary file has changed")
    text = read_csv_text(path, field_names(res), field_scripts(res))
    out = text.copy()
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
    out["statement_date"] = dates
    out["value"] = values.astype("float64")
    out["reference_date"] = pd.to_datetime(pd.Series(refs, index=text.index))
    role = text["qualifier"].map(ROLE_BY_QUALIFIER)
    out["role"] = role.where(~text["indicator"].str.startswith("other:"), "other_indicator").astype("str")
    out["exact_date"] = text["date_quality"] == "exact"
    out.insert(0, "line", text.index.astype("int64"))
    return out.reset_index(drop=True)


def _fail_where(bad: pd.Series, text: pd.DataFrame, path: Path, column: str, message: str) -> None:
    if bad.any():
        line = bad.index[np.argmax(bad.to_numpy())]
        raise RawDataError(path, f"{message}, found {text.at[line, column]!r}", line=int(line), column=column)


def series(statements: pd.DataFrame, exact_dates_only: bool = False) -> dict[str, pd.DataFrame]:
    """Observation rows per indicator, in time order (the input of the trend tests)."""
    rows = statements[statements["role"] == "observation"]
    if exact_dates_only:
        rows = rows[rows["exact_date"]]
    return {ind: group.sort_values(["reference_date", "line"]).reset_index(drop=True)
            for ind, group in rows.groupby("indicator", sort=True)}


def compare_with_article(statements: pd.DataFrame, indicators: pd.DataFrame,
                         date: str = "2024-01-01") -> pd.DataFrame:
    """The article's start-of-2024 counts beside the ministry's statements nearest that date.

    For each indicator, the nearest statement (any non-target row, by reference date) before and
    the nearest on or after ``date``, with its qualifier and date quality. No test: two sources
    with possibly different definitions, one number each.
    """
    at = pd.Timestamp(date)
    usable = statements[statements["role"].isin(["observation", "lower_bound", "approximate"])]
    rows = []
    for stat_id, indicator in ARTICLE_START_2024.items():
        article = indicators.loc[indicators["stat_id"] == stat_id].iloc[0]
        if article["indicator"] != indicator or article["reference_period"] != date:
            raise ValueError(f"{stat_id} is {article['indicator']} at {article['reference_period']}, "
                             f"expected {indicator} at {date}")
        own = usable[usable["indicator"] == indicator].assign(days=lambda f: (f["reference_date"] - at).dt.days)
        row = {"indicator": indicator, "article_stat_id": stat_id, "article_value": float(article["value"]),
               "article_date": date}
        for side, part in (("before", own[own["days"] < 0]), ("after", own[own["days"] >= 0])):
            if part.empty:
                row.update({f"{side}_{k}": None for k in ("line", "date", "value", "qualifier", "date_quality", "days",
                                                           "difference")})
                continue
            best = part.assign(distance=part["days"].abs()).sort_values(["distance", "line"]).iloc[0]
            row.update({f"{side}_line": int(best["line"]), f"{side}_date": best["reference_date"].date().isoformat(),
                        f"{side}_value": float(best["value"]), f"{side}_qualifier": best["qualifier"],
                        f"{side}_date_quality": best["date_quality"], f"{side}_days": int(best["days"]),
                        f"{side}_difference": float(article["value"] - best["value"])})
        values = [v for v in (row["before_value"], row["after_value"]) if v is not None]
        row["article_within_bracket"] = bool(values) and min(values) <= row["article_value"] <= max(values)
        rows.append(row)
    return pd.DataFrame(rows)
