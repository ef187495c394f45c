"""Notebook 42: the article's two-point TVET series and the supplementary statement series.

The article's series and the supplementary series are analysed side by side, never pooled:
:func:`tvet` reads only ``national_indicators`` (the article), :func:`statement_trends` only the
supplementary statements, and :func:`~analysis.stats.statements.compare_with_article` puts the
article's start-of-2024 counts next to the statements nearest that date without merging them.

**Repeated statements are one observation.** Officials restate a number: kppk 211 appears twice
in July 2022, 208 twice across 2022-23. Counting each statement as a point would give the trend
tests observations they do not have. Before any test, each indicator keeps one value per calendar
year of the reference date: the latest statement about that year (it supersedes the earlier
ones). The dropped statements are listed with that reason (:func:`collapse`), and every n
reported is the n after collapsing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.stats import statements as st
from analysis.stats import trend
from analysis.stats.association import holm
from analysis.stats.tidy import frame, record

#: The article's TVET series (Figure 3): indicator and the two stat_ids.
TVET_INDICATOR = "tvet_students_figure3"
TVET_STAT_IDS = ("S43", "S44")
#: Analysis sets of the supplementary series: name -> keep only rows with exact dates?
ANALYSIS_SETS = {"all_dates": False, "exact_dates_only": True}
#: A Sen interval is shown only where its real coverage at that n reaches this (nominal 0.95), and
#: only for series without tied values (the coverage assumes continuous errors).
MIN_REAL_COVERAGE = 0.90
COLLAPSE_RULE = "one value per indicator and calendar year of the reference date: the latest statement about that year"


def tvet(indicators: pd.DataFrame, confidence: float = 0.95) -> dict:
    rows = indicators[indicators["stat_id"].isin(TVET_STAT_IDS)].sort_values("reference_period")
    if list(rows["stat_id"]) != list(TVET_STAT_IDS) or set(rows["indicator"]) != {TVET_INDICATOR}:
        raise ValueError(f"expected {TVET_STAT_IDS} of {TVET_INDICATOR} in national_indicators")
    start, end = rows.iloc[0], rows.iloc[1]
    y0, y1 = int(start["reference_period"]), int(end["reference_period"])
    c0, c1 = int(start["value"]), int(end["value"])
    mk = trend.mann_kendall([y0, y1], [c0, c1])
    return {"start_year": y0, "end_year": y1, "start": c0, "end": c1, "start_stat_id": start["stat_id"],
            "end_stat_id": end["stat_id"], "start_ci": trend.count_interval(c0, confidence),
            "end_ci": trend.count_interval(c1, confidence),
            "comparison": trend.two_count_comparison(c1, c0, y1 - y0, confidence),
            "smallest_p_trend": mk["smallest_p"], "points": 2}


def collapse(statements: pd.DataFrame, exact_dates_only: bool = False) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The observation series per indicator after collapsing repeated statements, and the dropped rows."""
    kept, dropped = {}, []
    for indicator, g in st.series(statements, exact_dates_only).items():
        g = g.assign(year=g["reference_date"].dt.year).sort_values(["reference_date", "line"])
        last = g.groupby("year", sort=True).tail(1)
        for r in g[~g.index.isin(last.index)].itertuples():
            successor = last[last["year"] == r.year].iloc[0]
            dropped.append({"indicator": indicator, "line": r.line, "reference_date": r.reference_date, "value": r.value,
                            "superseded_by_line": int(successor["line"]),
                            "reason": f"an earlier statement about {r.year}; the latest (line {int(successor['line'])}, "
                                      f"{successor['value']:g}) is kept"})
        kept[indicator] = last.drop(columns="year").reset_index(drop=True)
    return kept, pd.DataFrame(dropped, columns=["indicator", "line", "reference_date", "value", "superseded_by_line",
                                                "reason"])


def _row(set_name: str, indicator: str, g: pd.DataFrame, n_statements: int, rng, confidence: float) -> dict:
    t = trend.decimal_years(g["reference_date"])
    y = g["value"].to_numpy(dtype=float)
    mk = trend.mann_kendall(t, y, rng)
    row = {"analysis_set": set_name, "indicator": indicator, "n": mk["n"], "n_statements": n_statements,
           "first": g["reference_date"].min().date().isoformat(), "last": g["reference_date"].max().date().isoformat(),
           "values": " ".join(f"{v:g}" for v in y), "smallest_p_at_n": mk["smallest_p_at_n"],
           "smallest_p": mk["smallest_p"], "s": mk["s"], "tau_b": mk["tau_b"], "p_value": mk["p_value"],
           "mk_method": mk["method"], "sen_slope": np.nan, "sen_low": np.nan, "sen_high": np.nan,
           "sen_coverage": np.nan, "sen_interval": "", "change": np.nan, "growth_per_year": np.nan}
    if len(y) >= 2:
        years = t[-1] - t[0]
        row["change"] = y[-1] - y[0]
        if indicator in st.COUNT_INDICATORS:
            row["growth_per_year"] = trend.growth_per_year(y[0], y[-1], years)
    if mk["p_value"] is not None:  # at least 3 points, neither time nor values constant
        sen = trend.sen_slope(t, y, confidence)
        row.update(sen_slope=sen["slope"], sen_coverage=sen["coverage"])
        tied = len(np.unique(y)) < len(y)
        if sen["coverage"] >= MIN_REAL_COVERAGE and not tied:
            row.update(sen_low=sen["ci_low"], sen_high=sen["ci_high"], sen_interval="shown")
        elif tied:
            row["sen_interval"] = ("suppressed: the series has tied counts, and the interval's coverage holds only "
                                   "for continuous errors without ties")
        else:
            row["sen_interval"] = (f"suppressed: at n = {mk['n']} the nominal {confidence:.0%} interval covers the "
                                   f"true slope {sen['coverage']:.0%} of the time (below {MIN_REAL_COVERAGE:.0%})")
    return row


def statement_trends(statements: pd.DataFrame, confidence: float = 0.95, alpha: float = 0.05,
                     seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per analysis set and indicator, after collapsing: n, smallest possible p, exact Mann-Kendall
    (Holm across the tested indicators of the set), Sen's slope (its interval only where its real
    coverage supports it) and the descriptive change and growth per year; and the dropped rows."""
    rng = np.random.default_rng(seed)
    rows, dropped = [], []
    for set_name, exact_only in ANALYSIS_SETS.items():
        kept, gone = collapse(statements, exact_only)
        dropped.append(gone.assign(analysis_set=set_name))
        raw_counts = {ind: len(g) for ind, g in st.series(statements, exact_only).items()}
        rows += [_row(set_name, ind, g, raw_counts[ind], rng, confidence) for ind, g in kept.items()]
    out = pd.DataFrame(rows)
    for column in ("p_value", "tau_b", "s"):
        out[column] = pd.to_numeric(out[column]).astype("float64")
    out["p_holm"], out["holm_family"] = np.nan, 0
    for set_name in ANALYSIS_SETS:
        m = (out["analysis_set"] == set_name) & out["p_value"].notna()
        if m.any():
            out.loc[m, "p_holm"] = holm(out.loc[m, "p_value"], alpha)
            out.loc[m, "holm_family"] = int(m.sum())
    dropped = pd.concat(dropped, ignore_index=True)
    dropped["reference_date"] = pd.to_datetime(dropped["reference_date"]).dt.strftime("%Y-%m-%d")
    return out, dropped[["analysis_set", "indicator", "line", "reference_date", "value", "superseded_by_line", "reason"]]


def article_reference_date(indicators: pd.DataFrame) -> str:
    """The date of the article's network counts (S01-S07 share one reference period)."""
    periods = indicators.loc[indicators["stat_id"].isin(list(st.ARTICLE_START_2024)), "reference_period"].unique()
    if len(periods) != 1:
        raise ValueError(f"the article's network counts have several reference periods: {sorted(periods)}")
    return str(periods[0])


@dataclass
class TrendResults:
    tvet: dict
    statements: pd.DataFrame
    trends: pd.DataFrame
    collapsed: pd.DataFrame
    comparison: pd.DataFrame
    #: What the tests cannot show, in numbers: points needed, smallest p at small n, Sen coverage at n = 3.
    limits: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    def tidy(self) -> pd.DataFrame:
        return tidy(self)

    def rows_table(self) -> pd.DataFrame:
        """Every source row of the supplementary file with its role and use in each analysis set."""
        s = self.statements
        out = s[["line", "statement_date", "date_quality", "refers_to", "reference_date", "indicator", "value",
                 "qualifier", "role", "source_url"]].copy()
        for name, exact_only in ANALYSIS_SETS.items():
            gone = set(self.collapsed.loc[self.collapsed["analysis_set"] == name, "line"])
            out[f"used_{name}"] = ((s["role"] == "observation") & (s["exact_date"] | (not exact_only))
                                   & ~s["line"].isin(gone))
        out["statement_date"] = out["statement_date"].dt.strftime("%Y-%m-%d")
        out["reference_date"] = out["reference_date"].dt.strftime("%Y-%m-%d")
        return out


def analyse(indicators: pd.DataFrame, statements: pd.DataFrame, *, seed: int, confidence: float = 0.95,
            alpha: float = 0.05) -> TrendResults:
    reference_date = article_reference_date(indicators)
    needed = trend.smallest_n_for_exact_trend(alpha)
    limits = {"n_needed": needed, "smallest_p_needed": 2 / math.factorial(needed),
              "smallest_p_n3": 2 / math.factorial(3), "smallest_p_n4": 2 / math.factorial(4),
              "smallest_p_n5": 2 / math.factorial(5),
              "sen_coverage_n3": trend.sen_coverage(np.arange(3.0), np.arange(3.0), confidence)}
    trends, collapsed = statement_trends(statements, confidence, alpha, seed)
    return TrendResults(tvet=tvet(indicators, confidence), statements=statements, trends=trends, collapsed=collapsed,
                        comparison=st.compare_with_article(statements, indicators, reference_date), limits=limits,
                        params={"seed": seed, "confidence": confidence, "alpha": alpha,
                                "reference_date": reference_date, "collapse_rule": COLLAPSE_RULE})


# -- the tidy table -----------------------------------------------------------------------------

def _tvet_rows(res) -> list[dict]:
    tv = res.tvet
    c = tv["comparison"]
    level = res.params["confidence"]
    span = f"{tv['start_year']}-{tv['end_year']}"
    noise = "the interval reflects Poisson counting noise only, not how enrolment varies from year to year"
    common = {"subject": "tvet_students_figure3", "n": 2, "n_unit": "counts"}
    return [
        record("poisson_two_counts", "rate_ratio", c["ratio"], unit="ratio", ci_low=c["ratio_low"],
               ci_high=c["ratio_high"], conf_level=level, p_value=c["p_value"],
               method="score test and score interval (statsmodels test_poisson_2indep, confint_poisson_2indep), "
                      "equal exposures", note=f"{tv['end']} ({tv['end_year']}) against {tv['start']} ({tv['start_year']}); "
                                                f"{noise}; enrolled students are a stock, so Poisson variance is a lower bound",
               **common),
        record("poisson_two_counts", "rate_ratio_exact_conditional_p", c["ratio"], unit="ratio",
               p_value=c["p_exact_conditional"], method="exact conditional (binomial) test", note=noise, **common),
        record("poisson_two_counts", f"growth_{span}", c["growth"], unit="proportion", ci_low=c["growth_low"],
               ci_high=c["growth_high"], conf_level=level, method="rate ratio - 1, score interval", note=noise, **common),
        record("poisson_two_counts", "annual_growth_compound", c["annual_growth"], unit="proportion per year",
               ci_low=c["annual_low"], ci_high=c["annual_high"], conf_level=level,
               method=f"rate ratio^(1/{c['years']}) - 1", note=f"assumes a constant rate between the two points; {noise}",
               **common),
        record("poisson_two_counts", "dispersion_threshold", c["dispersion_threshold"], unit="ratio",
               method="(z / z_crit)^2: quasi-Poisson dispersion above which the difference is not significant",
               note="two points leave no degree of freedom to estimate the dispersion", **common),
        record("mann_kendall_exact", "smallest_possible_p", tv["smallest_p_trend"], unit="probability",
               method="2 / n! (exact Mann-Kendall)", note="with two points no trend test, and no test of steadiness",
               **common),
    ]


def _series_rows(res) -> list[dict]:
    p = res.params
    rows = []
    for r in res.trends.itertuples():
        common = {"subject": f"{r.indicator} [{r.analysis_set}]", "n": r.n, "n_unit": "points"}
        collapsed = f"{r.n} points after collapsing {r.n_statements} statements ({p['collapse_rule']})"
        rows.append(record("mann_kendall_exact", "smallest_possible_p_with_ties", r.smallest_p, unit="probability",
                           method="exact null distribution with this series' ties", note=(
                               "cannot reject at alpha whatever the values; " if r.smallest_p > p["alpha"] else "") + collapsed,
                           **common))
        if not pd.isna(r.p_value):
            rows.append(record("mann_kendall_exact", "kendall_tau_b", r.tau_b, unit="correlation", p_value=r.p_value,
                               p_adjusted=r.p_holm, method=f"{r.mk_method}; Holm across the {r.holm_family} tested "
                                                           "indicators of this set", note=f"S = {int(r.s)}", **common))
        if not pd.isna(r.sen_slope):
            shown = r.sen_interval == "shown"
            rows.append(record("sen_slope", "slope_per_year", r.sen_slope, unit="per year",
                               ci_low=r.sen_low if shown else None, ci_high=r.sen_high if shown else None,
                               conf_level=p["confidence"] if shown else None,
                               method="scipy theilslopes", note=(f"real coverage of the nominal interval at this n: "
                                                                 f"{r.sen_coverage:.0%}" if shown else r.sen_interval),
                               **common))
        if not pd.isna(r.growth_per_year):
            rows.append(record("descriptive_growth", "growth_per_year", r.growth_per_year, unit="proportion per year",
                               method="(last / first)^(1 / years) - 1 over the collapsed series",
                               note="descriptive: an administrative stock has no sampling interval", **common))
    return rows


def _comparison_rows(res) -> list[dict]:
    rows = []
    for r in res.comparison.itertuples():
        for side in ("before", "after"):
            value = getattr(r, f"{side}_value")
            if value is None or pd.isna(value):
                continue
            rows.append(record("article_vs_statements", f"article_minus_statement_{side}", getattr(r, f"{side}_difference"),
                               subject=r.indicator, unit="count", n=2, n_unit="counts",
                               method=f"article {r.article_stat_id} ({r.article_value:g} at {r.article_date}) - "
                                      f"statement line {getattr(r, f'{side}_line')} ({value:g}, "
                                      f"{getattr(r, f'{side}_qualifier')}, {getattr(r, f'{side}_date')}, "
                                      f"date {getattr(r, f'{side}_date_quality')})",
                               note="two sources, possibly different definitions and dates; no test"))
    return rows


def tidy(res) -> pd.DataFrame:
    return frame([*_tvet_rows(res), *_series_rows(res), *_comparison_rows(res)])
