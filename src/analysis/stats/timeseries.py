"""Notebook 42: the article's two-point TVET series and the supplementary statement series.

The article's series and the supplementary series are analysed side by side, never pooled:
:func:`tvet` reads only ``national_indicators`` (the article), :func:`statement_trends` only the
supplementary statements, and :func:`~analysis.stats.statements.compare_with_article` puts the
article's start-of-2024 counts next to the statements nearest that date without merging them.
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


@dataclass
class TrendResults:
    tvet: dict
    statements: pd.DataFrame
    trends: pd.DataFrame
    comparison: pd.DataFrame
    #: What the tests cannot show, in numbers: points needed, smallest p at small n, Sen coverage at n = 3.
    limits: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    def tidy(self) -> pd.DataFrame:
        p = self.params
        conf = f"{p['confidence'] * 100:g}%"
        tv = self.tvet
        c = tv["comparison"]
        span = f"{tv['start_year']}-{tv['end_year']}"
        rows = [
            record("poisson_two_counts", "rate_ratio", c["ratio"], subject=TVET_INDICATOR, unit="ratio",
                   ci_low=c["ratio_low"], ci_high=c["ratio_high"], conf_level=p["confidence"], p_value=c["p_value"], n=2,
                   method=f"score test and {conf} score interval (statsmodels test_poisson_2indep, "
                          "confint_poisson_2indep), equal exposures",
                   note=f"{tv['end']} ({tv['end_year']}) against {tv['start']} ({tv['start_year']}); counts of enrolled "
                        "students are stocks, not independent events: the Poisson variance is a lower bound"),
            record("poisson_two_counts", "rate_ratio_exact_conditional_p", c["ratio"], subject=TVET_INDICATOR, unit="ratio",
                   p_value=c["p_exact_conditional"], n=2, method="exact conditional (binomial) test"),
            record("poisson_two_counts", f"growth_{span}", c["growth"], subject=TVET_INDICATOR, unit="proportion",
                   ci_low=c["growth_low"], ci_high=c["growth_high"], conf_level=p["confidence"], n=2, method="rate ratio - 1, score interval"),
            record("poisson_two_counts", "annual_growth_compound", c["annual_growth"], subject=TVET_INDICATOR,
                   unit="proportion per year", ci_low=c["annual_low"], ci_high=c["annual_high"],
                   conf_level=p["confidence"], n=2,
                   method=f"rate ratio^(1/{c['years']}) - 1", note="assumes a constant rate between the two points"),
            record("poisson_two_counts", "dispersion_threshold", c["dispersion_threshold"], subject=TVET_INDICATOR,
                   unit="ratio", n=2,
                   method="(z / z_crit)^2: quasi-Poisson dispersion above which the difference is not significant",
                   note="two points leave no degree of freedom to estimate the dispersion"),
            record("mann_kendall_exact", "smallest_possible_p", tv["smallest_p_trend"], subject=TVET_INDICATOR,
                   unit="probability", n=2,
                   method="2 / n! (exact Mann-Kendall)", note="with two points no trend test, and no test of steadiness"),
        ]
        for r in self.trends.itertuples():
            subject = f"{r.indicator} [{r.analysis_set}]"
            rows.append(record("mann_kendall_exact", "smallest_possible_p_at_n", r.smallest_p_at_n, subject=subject,
                               unit="probability", n=r.n,
                               method="2 / n! (no ties)"))
            rows.append(record("mann_kendall_exact", "smallest_possible_p_with_ties", r.smallest_p, subject=subject,
                               unit="probability", n=r.n,
                               method="exact null distribution with this series' ties",
                               note="cannot reject at alpha whatever the values" if r.smallest_p > p["alpha"] else ""))
            if not pd.isna(r.p_value):
                rows.append(record("mann_kendall_exact", "kendall_tau_b", r.tau_b, subject=subject, unit="correlation",
                                   p_value=r.p_value,
                                   p_adjusted=r.p_holm, n=r.n,
                                   method=f"{r.mk_method}; Holm across the {r.holm_family} tested indicators of this set",
                                   note=f"S = {int(r.s)}"))
            if not pd.isna(r.sen_slope):
                rows.append(record("sen_slope", "slope_per_year", r.sen_slope, subject=subject, unit="per year",
                                   ci_low=r.sen_low, ci_high=r.sen_high, conf_level=p["confidence"], n=r.n,
                                   method=f"scipy theilslopes, nominal {conf} interval",
                                   note=f"real coverage at this n: {r.sen_coverage:.1%}"))
                rows.append(record("sen_slope", "interval_real_coverage", r.sen_coverage, subject=subject,
                                   unit="proportion", n=r.n,
                                   method="exact, exchangeable continuous errors (q-multinomial of the time ties)"))
            if not pd.isna(r.glm_growth):
                rows.append(record("poisson_trend", "annual_growth", r.glm_growth, subject=subject,
                                   unit="proportion per year", ci_low=r.glm_low, ci_high=r.glm_high,
                                   conf_level=p["confidence"], p_value=r.glm_p, p_adjusted=r.glm_p_holm, n=r.n,
                                   method=f"{r.glm_method}; Holm across the {r.glm_holm_family} count indicators of this set",
                                   note=f"Pearson dispersion {r.glm_dispersion:.3g}, scale used {r.glm_scale:.3g}"))
        for r in self.comparison.itertuples():
            for side in ("before", "after"):
                value = getattr(r, f"{side}_value")
                if value is None or pd.isna(value):
                    continue
                rows.append(record("article_vs_statements", f"article_minus_statement_{side}", getattr(r, f"{side}_difference"),
                                   subject=r.indicator, unit="count", n=2,
                                   method=f"article {r.article_stat_id} ({r.article_value:g} at {r.article_date}) - "
                                          f"statement line {getattr(r, f'{side}_line')} ({value:g}, "
                                          f"{getattr(r, f'{side}_qualifier')}, {getattr(r, f'{side}_date')}, "
                                          f"date {getattr(r, f'{side}_date_quality')})",
                                   note="two sources, possibly different definitions and dates; no test"))
        return frame(rows)

    def rows_table(self) -> pd.DataFrame:
        """Every source row of the supplementary file with its role in each analysis set."""
        s = self.statements
        out = s[["line", "statement_date", "date_quality", "refers_to", "reference_date", "indicator", "value",
                 "qualifier", "role", "source_url"]].copy()
        for name, exact_only in ANALYSIS_SETS.items():
            out[f"used_{name}"] = (s["role"] == "observation") & (s["exact_date"] | (not exact_only))
        out["statement_date"] = out["statement_date"].dt.strftime("%Y-%m-%d")
        out["reference_date"] = out["reference_date"].dt.strftime("%Y-%m-%d")
        return out


def statement_trends(statements: pd.DataFrame, confidence: float = 0.95, alpha: float = 0.05,
                     seed: int = 0) -> pd.DataFrame:
    """Per indicator and analysis set: n, smallest possible p, exact MK, Sen, quasi-Poisson trend."""
    rng = np.random.default_rng(seed)
    rows = []
    for set_name, exact_only in ANALYSIS_SETS.items():
        for indicator, g in st.series(statements, exact_only).items():
            t = trend.decimal_years(g["reference_date"])
            y = g["value"].to_numpy(dtype=float)
            mk = trend.mann_kendall(t, y, rng)
            row = {"analysis_set": set_name, "indicator": indicator, "n": mk["n"],
                   "first": g["reference_date"].min().date().isoformat(), "last": g["reference_date"].max().date().isoformat(),
                   "values": " ".join(f"{v:g}" for v in y), "smallest_p_at_n": mk["smallest_p_at_n"],
                   "smallest_p": mk["smallest_p"], "s": mk["s"], "tau_b": mk["tau_b"], "p_value": mk["p_value"],
                   "mk_method": mk["method"], "sen_slope": np.nan, "sen_low": np.nan, "sen_high": np.nan,
                   "sen_coverage": np.nan, "glm_growth": np.nan, "glm_low": np.nan, "glm_high": np.nan, "glm_p": np.nan,
                   "glm_dispersion": np.nan, "glm_scale": np.nan, "glm_method": ""}
            if mk["p_value"] is not None:  # at least 3 points, neither time nor values constant
                sen = trend.sen_slope(t, y, confidence)
                row.update(sen_slope=sen["slope"], sen_low=sen["ci_low"], sen_high=sen["ci_high"], sen_coverage=sen["coverage"])
                if indicator in st.COUNT_INDICATORS:
                    glm = trend.poisson_trend(t, y, confidence)
                    row.update(glm_growth=glm["annual_growth"], glm_low=glm["ci_low"], glm_high=glm["ci_high"],
                               glm_p=glm["p_value"], glm_dispersion=glm["dispersion"], glm_scale=glm["scale"],
                               glm_method=glm["method"])
            rows.append(row)
    out = pd.DataFrame(rows)
    out["p_value"] = pd.to_numeric(out["p_value"]).astype("float64")
    out["tau_b"] = pd.to_numeric(out["tau_b"]).astype("float64")
    out["s"] = pd.to_numeric(out["s"]).astype("float64")
    for column, family in (("p_value", "p_holm"), ("glm_p", "glm_p_holm")):
        out[family] = np.nan
        out[("holm_family" if column == "p_value" else "glm_holm_family")] = 0
        for set_name in ANALYSIS_SETS:
            m = (out["analysis_set"] == set_name) & out[column].notna()
            if m.any():
                out.loc[m, family] = holm(out.loc[m, column], alpha)
                out.loc[m, "holm_family" if column == "p_value" else "glm_holm_family"] = int(m.sum())
    return out


def article_reference_date(indicators: pd.DataFrame) -> str:
    """The date of the article's network counts (S01-S07 share one reference period)."""
    periods = indicators.loc[indicators["stat_id"].isin(list(st.ARTICLE_START_2024)), "reference_period"].unique()
    if len(periods) != 1:
        raise ValueError(f"the article's network counts have several reference periods: {sorted(periods)}")
    return str(periods[0])


def analyse(indicators: pd.DataFrame, statements: pd.DataFrame, *, seed: int, confidence: float = 0.95,
            alpha: float = 0.05) -> TrendResults:
    reference_date = article_reference_date(indicators)
    needed = trend.smallest_n_for_exact_trend(alpha)
    limits = {"n_needed": needed, "smallest_p_needed": 2 / math.factorial(needed),
              "smallest_p_n3": 2 / math.factorial(3), "smallest_p_n4": 2 / math.factorial(4),
              "sen_coverage_n3": trend.sen_coverage(np.arange(3.0), np.arange(3.0), confidence)}
    return TrendResults(tvet=tvet(indicators, confidence), statements=statements,
                        trends=statement_trends(statements, confidence, alpha, seed),
                        comparison=st.compare_with_article(statements, indicators, reference_date), limits=limits,
                        params={"seed": seed, "confidence": confidence, "alpha": alpha,
                                "reference_date": reference_date})
