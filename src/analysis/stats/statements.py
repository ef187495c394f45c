"""The supplementary series in the analysis: observation series and the comparison with the article.

``data/processed/official_statements.csv`` (cleaned from ``data/raw/supplementary/`` by the
cleaning step, :mod:`analysis.ingest.statements`) holds every dated official statement with its
``role``. Here: :func:`prepare` (dates as timestamps), :func:`series` (the observation rows per
indicator, the input of the trend tests) and :func:`compare_with_article`.
"""

from __future__ import annotations

import pandas as pd

from analysis.i18n import t

#: Indicators that are counts (a Poisson trend applies); the ``*_pct`` indicators are shares.
COUNT_INDICATORS = ("special_orgs_total", "special_preschools", "special_schools", "pmpk", "kppk",
                    "rehab_centres", "autism_centres", "children_sen_total")
#: Indicators named by the project's shared labels (the same words as the article's figures and
#: tables, in every language); the others by their ``stats_ind_*`` label.
SHARED_LABELS = ("special_preschools", "special_schools", "pmpk", "kppk", "rehab_centres", "autism_centres")
#: The article's start-of-2024 counts (national_indicators S01-S07) and their indicators.
ARTICLE_START_2024 = {"S01": "special_orgs_total", "S02": "special_preschools", "S03": "special_schools",
                      "S04": "pmpk", "S05": "kppk", "S06": "rehab_centres", "S07": "autism_centres"}


def label(indicator: str, lang: str) -> str:
    """An indicator's name in ``lang``: one name per concept across the project's figures, tables
    and summaries (the shared label where the article's figures use one)."""
    return t(indicator if indicator in SHARED_LABELS else f"stats_ind_{indicator}", lang)


def prepare(statements: pd.DataFrame) -> pd.DataFrame:
    """The processed statements with ``statement_date`` and ``reference_date`` as timestamps."""
    out = statements.copy()
    for column in ("statement_date", "reference_date"):
        out[column] = pd.to_datetime(out[column], format="%Y-%m-%d")
    return out


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
