"""Notebook 42: the article's two-point TVET series and the supplementary statement series.

The article's series and the supplementary series are analysed side by side, never pooled:
:func:`tvet` reads only ``national_indicators`` (the article), :func:`statement_trends` only the
supplementary statements, and :func:`comparison` puts the article's start-of-2024 counts next to
the statements nearest that date without merging them.

**The TVET counts are described, not tested.** Enrolled students are a stock: largely the same
people are counted in both years, so the two counts are positively correlated and the variance of
their difference is *smaller* than Poisson's; a Poisson test of the two counts rests on a variance
that does not describe them, and two points leave no degree of freedom to estimate the real one.
The change is reported as it is.

**Repeated statements are one observation.** Officials restate a number: KPPK 211 appears twice
in July 2022. Before any test, each indicator keeps one value per calendar year of the reference
date, by one of three rules (:data:`COLLAPSE_RULES`): the latest statement about that year, the
earliest, or the median of the year's statements. **An inferred date never decides**: the latest
and earliest statements are chosen among those with exact dates; a year whose statements all have
inferred dates keeps their median. Every series is tested under all three rules; a rise is called
robust only if it survives under each. The dropped statements are listed (:func:`collapse`), and
every n reported is the n after collapsing.

**The multiplicity family** (Tarone 1990): only series whose exact test can reach the level are
counted in Holm's correction (:func:`analysis.stats.trend.tarone_family`); a series of three
points cannot reject at 0.05 whatever its values, so counting it would only dilute the others.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.precision import round_significant
from analysis.stats import statements as st
from analysis.stats import trend
from analysis.stats.association import holm
from analysis.stats.tidy import frame, interval_se, record

#: The article's TVET series (Figure 3): indicator and the two stat_ids.
TVET_INDICATOR = "tvet_students_figure3"
TVET_STAT_IDS = ("S43", "S44")
#: Analysis sets of the supplementary series: name -> keep only rows with exact dates?
ANALYSIS_SETS = {"all_dates": False, "exact_dates_only": True}
#: A Sen interval is shown only where its real coverage at that n reaches this (nominal 0.95), and
#: only for series without tied values (the coverage assumes continuous errors).
MIN_REAL_COVERAGE = 0.90
#: How a year's statements become one value: the main rule first.
COLLAPSE_RULES = {
    "latest": "the latest statement with an exact date about that year (a year with inferred dates only: their median)",
    "earliest": "the earliest statement with an exact date about that year (a year with inferred dates only: their median)",
    "median": "the median of the year's statements",
}
MAIN_RULE = "latest"
#: Significant digits of a Sen slope shown without an interval (no error to set them).
SLOPE_SIGNIFICANT_WITHOUT_INTERVAL = 2


# -- the article's TVET counts ---------------------------------------------------------------------

def tvet(indicators: pd.DataFrame) -> dict:
    """The article's two TVET counts (S43, S44): the change, the growth over the period and per year
    (compound, if the rate was constant), and the smallest p an exact trend test could give with two
    points. No test: the counts are a stock (see the module docstring)."""
    rows = indicators[indicators["stat_id"].isin(TVET_STAT_IDS)].sort_values("reference_period")
    if list(rows["stat_id"]) != list(TVET_STAT_IDS) or set(rows["indicator"]) != {TVET_INDICATOR}:
        raise ValueError(f"expected {TVET_STAT_IDS} of {TVET_INDICATOR} in national_indicators")
    start, end = rows.iloc[0], rows.iloc[1]
    y0, y1 = int(start["reference_period"]), int(end["reference_period"])
    c0, c1 = int(start["value"]), int(end["value"])
    mk = trend.mann_kendall([y0, y1], [c0, c1])
    return {"start_year": y0, "end_year": y1, "start": c0, "end": c1, "start_stat_id": start["stat_id"],
            "end_stat_id": end["stat_id"], "difference": c1 - c0, "growth": c1 / c0 - 1,
            "annual_growth": trend.growth_per_year(c0, c1, y1 - y0), "years": y1 - y0,
            "smallest_p_trend": mk["smallest_p"], "points": 2}


def tvet_rows(tv: dict) -> list[dict]:
    """The TVET counts as tidy records: descriptive, with the reason no test is made."""
    span = f"{tv['start_year']}-{tv['end_year']}"
    common = {"subject": TVET_INDICATOR, "n": 2, "n_unit": "counts"}
    why = ("no test: enrolled students are a stock, largely the same people in both years, so the two counts are "
           "positively correlated and their difference varies less than Poisson counts would; a Poisson test would "
           "rest on a variance that does not describe them, and two points cannot estimate the real one")
    return [
        record("descriptive_change", f"change_{span}", tv["difference"], unit="students",
               method=f"{tv['end']} ({tv['end_year']}, {tv['end_stat_id']}) - {tv['start']} ({tv['start_year']}, "
                      f"{tv['start_stat_id']})", note=why, **common),
        record("descriptive_change", f"growth_{span}", tv["growth"], unit="proportion", method="later / earlier - 1",
               note="descriptive; " + why, **common),
        record("descriptive_change", "annual_growth_compound", tv["annual_growth"], unit="proportion per year",
               method=f"(later / earlier)^(1/{tv['years']}) - 1", note="descriptive; holds only if the rate was constant",
               **common),
        record("mann_kendall_exact", "smallest_possible_p", tv["smallest_p_trend"], unit="probability",
               method="2 / n! (exact Mann-Kendall)", note="with two points no trend test, and no test of steadiness",
               **common),
        record("pearson_dispersion", "not_estimable", None, unit="ratio",
               method="Pearson X^2 / (n - 2) against a Poisson model", note="two points leave no degree of freedom",
               **common),
    ]


# -- collapsing repeated statements ----------------------------------------------------------------

def _decimal_year(dates: pd.Series) -> np.ndarray:
    return trend.decimal_years(pd.to_datetime(dates).reset_index(drop=True))


def _year_value(g: pd.DataFrame, rule: str) -> tuple[float, float, int | None, str]:
    """One year's statements -> (time, value, kept line or None, how), by ``rule``."""
    years = _decimal_year(g["reference_date"])
    values = g["value"].to_numpy(dtype=float)
    if rule == "median" or (rule in ("latest", "earliest") and not g["exact_date"].any()):
        if len(g) == 1:
            return float(years[0]), float(values[0]), int(g["line"].iloc[0]), "the only statement"
        how = ("the median of the year's statements" if rule == "median"
               else "the median of the year's statements, whose dates are all inferred (their order is unknown)")
        return float(np.median(years)), float(np.median(values)), None, how
    exact = g[g["exact_date"]].sort_values(["reference_date", "line"])
    chosen = exact.iloc[-1] if rule == "latest" else exact.iloc[0]
    return (float(_decimal_year(pd.Series([chosen["reference_date"]]))[0]), float(chosen["value"]), int(chosen["line"]),
            f"the {rule} statement with an exact date")


def collapse(statements: pd.DataFrame, exact_dates_only: bool = False,
             rule: str = MAIN_RULE) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """One value per indicator and calendar year of the reference date, by ``rule`` (one of
    :data:`COLLAPSE_RULES`; an inferred date never decides which statement a year keeps). Returns
    the series per indicator (columns year, time in decimal years, value, line kept or empty, how)
    and the statements not kept as they are, with the value the year keeps and why."""
    if rule not in COLLAPSE_RULES:
        raise ValueError(f"unknown collapse rule {rule!r}; use one of {list(COLLAPSE_RULES)}")
    kept, dropped = {}, []
    for indicator, g in st.series(statements, exact_dates_only).items():
        g = g.assign(year=g["reference_date"].dt.year)
        points = []
        for year, part in g.groupby("year", sort=True):
            time, value, line, how = _year_value(part, rule)
            points.append({"year": int(year), "time": time, "value": value, "line": line, "how": how,
                           "statements": len(part)})
            for r in part.itertuples():
                if line is None or r.line != line:
                    dropped.append({"indicator": indicator, "line": int(r.line), "reference_date": r.reference_date,
                                    "value": float(r.value), "kept_line": line, "kept_value": value,
                                    "reason": f"{year} keeps {how}" + (f" (line {line})" if line is not None else "")})
        kept[indicator] = pd.DataFrame(points)
    return kept, pd.DataFrame(dropped, columns=["indicator", "line", "reference_date", "value", "kept_line", "kept_value",
                                                "reason"])


# -- trend tests -----------------------------------------------------------------------------------

def _row(set_name: str, rule: str, indicator: str, g: pd.DataFrame, n_statements: int, rng, confidence: float) -> dict:
    t = g["time"].to_numpy(dtype=float)
    y = g["value"].to_numpy(dtype=float)
    mk = trend.mann_kendall(t, y, rng)
    row = {"analysis_set": set_name, "collapse_rule": rule, "indicator": indicator, "n": mk["n"],
           "n_statements": n_statements, "first": int(g["year"].min()), "last": int(g["year"].max()),
           "values": " ".join(f"{v:g}" for v in y), "smallest_p_at_n": mk["smallest_p_at_n"],
           "smallest_p": mk["smallest_p"], "s": mk["s"], "tau_b": mk["tau_b"], "p_value": mk["p_value"],
           "mk_method": mk["method"], "sen_slope": np.nan, "sen_se": np.nan, "sen_low": np.nan, "sen_high": np.nan,
           "sen_coverage": np.nan, "sen_interval": "", "change": np.nan, "growth_per_year": np.nan,
           "pearson_dispersion": np.nan}
    if len(y) >= 2:
        row["change"] = y[-1] - y[0]
        if indicator in st.COUNT_INDICATORS:
            row["growth_per_year"] = trend.growth_per_year(y[0], y[-1], t[-1] - t[0])
            row["pearson_dispersion"] = trend.pearson_dispersion(t, y)
    if mk["p_value"] is not None:  # at least 3 points, neither time nor values constant
        sen = trend.sen_slope(t, y, confidence)
        row.update(sen_slope=sen["slope"], sen_coverage=sen["coverage"])
        tied = len(np.unique(y)) < len(y)
        if sen["coverage"] >= MIN_REAL_COVERAGE and not tied:
            row.update(sen_low=sen["ci_low"], sen_high=sen["ci_high"], sen_interval="shown",
                       sen_se=interval_se(sen["ci_low"], sen["ci_high"], confidence))
        else:
            row["sen_slope"] = round_significant(sen["slope"], SLOPE_SIGNIFICANT_WITHOUT_INTERVAL)
            row["sen_interval"] = (
                "suppressed: the series has tied counts, and the interval's coverage holds only for continuous errors "
                "without ties" if tied else
                f"suppressed: at n = {mk['n']} the nominal {confidence:.0%} interval covers the true slope "
                f"{sen['coverage']:.0%} of the time (below {MIN_REAL_COVERAGE:.0%})")
            row["sen_interval"] += f"; slope written to {SLOPE_SIGNIFICANT_WITHOUT_INTERVAL} significant digits"
    return row


def statement_trends(statements: pd.DataFrame, confidence: float = 0.95, alpha: float = 0.05,
                     seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per analysis set, collapse rule and indicator, after collapsing: n, smallest possible p, the
    exact Mann-Kendall test, Holm's correction within Tarone's family (the series whose smallest
    possible p can reach the level; :func:`analysis.stats.trend.tarone_family`), Sen's slope (its
    interval only where its real coverage supports it), the descriptive change and growth per year,
    and the Pearson dispersion against a Poisson trend; and the statements not kept as they are."""
    rng = np.random.default_rng(seed)
    rows, dropped = [], []
    for set_name, exact_only in ANALYSIS_SETS.items():
        raw_counts = {ind: len(g) for ind, g in st.series(statements, exact_only).items()}
        for rule in COLLAPSE_RULES:
            kept, gone = collapse(statements, exact_only, rule)
            dropped.append(gone.assign(analysis_set=set_name, collapse_rule=rule))
            rows += [_row(set_name, rule, ind, g, raw_counts[ind], rng, confidence) for ind, g in kept.items()]
    out = pd.DataFrame(rows)
    for column in ("p_value", "tau_b", "s"):
        out[column] = pd.to_numeric(out[column]).astype("float64")
    out["in_family"], out["holm_family"], out["p_holm"] = False, 0, np.nan
    for _, part in out.groupby(["analysis_set", "collapse_rule"], sort=False):
        tested = part[part["p_value"].notna()]
        _, able = trend.tarone_family(tested["smallest_p"], alpha)
        members = tested.index[able]
        out.loc[tested.index, "holm_family"] = int(able.sum())
        out.loc[members, "in_family"] = True
        if len(members):
            out.loc[members, "p_holm"] = holm(out.loc[members, "p_value"], alpha)
    dropped = pd.concat(dropped, ignore_index=True)
    dropped["reference_date"] = pd.to_datetime(dropped["reference_date"]).dt.strftime("%Y-%m-%d")
    dropped["kept_line"] = dropped["kept_line"].astype("Int64")
    return out, dropped[["analysis_set", "collapse_rule", "indicator", "line", "reference_date", "value", "kept_line",
                         "kept_value", "reason"]]


def robustness(trends: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Per analysis set and indicator tested under every rule: the largest Holm-adjusted p across
    the collapse rules, and whether the rise is robust (an increasing trend that survives Holm's
    correction within Tarone's family under every rule) or not."""
    rows = []
    for (set_name, indicator), part in trends.groupby(["analysis_set", "indicator"], sort=True):
        if part["p_value"].isna().all():
            continue
        worst = part.loc[part["p_holm"].fillna(1.0).idxmax()]
        rising = (part["tau_b"] > 0).all()
        survives = (part["p_holm"] < alpha).all()
        rows.append({"analysis_set": set_name, "indicator": indicator, "largest_p_holm": float(part["p_holm"].fillna(1.0).max()),
                     "rule_of_largest": worst["collapse_rule"], "robust": bool(rising and survives),
                     "significant_under": ";".join(part.loc[part["p_holm"] < alpha, "collapse_rule"]),
                     "in_family_under": ";".join(part.loc[part["in_family"], "collapse_rule"])})
    return pd.DataFrame(rows)


def article_reference_date(indicators: pd.DataFrame) -> str:
    """The date of the article's network counts (S01-S07 share one reference period)."""
    periods = indicators.loc[indicators["stat_id"].isin(list(st.ARTICLE_START_2024)), "reference_period"].unique()
    if len(periods) != 1:
        raise ValueError(f"the article's network counts have several reference periods: {sorted(periods)}")
    return str(periods[0])


def comparison(indicators: pd.DataFrame, statements: pd.DataFrame) -> pd.DataFrame:
    """The article's start-of-2024 counts beside the nearest statements
    (:func:`analysis.stats.statements.compare_with_article` at the article's reference date)."""
    return st.compare_with_article(statements, indicators, article_reference_date(indicators))


def limits(alpha: float = 0.05, confidence: float = 0.95) -> dict:
    """What short series cannot show, in numbers: the points an exact test needs to reach ``alpha``,
    the smallest p at n = 3, 4, 5, and the real coverage of Sen's nominal interval at n = 3."""
    needed = trend.smallest_n_for_exact_trend(alpha)
    return {"n_needed": needed, "smallest_p_needed": 2 / math.factorial(needed),
            "smallest_p_n3": 2 / math.factorial(3), "smallest_p_n4": 2 / math.factorial(4),
            "smallest_p_n5": 2 / math.factorial(5),
            "sen_coverage_n3": trend.sen_coverage(np.arange(3.0), np.arange(3.0), confidence)}


# -- all of it -------------------------------------------------------------------------------------

@dataclass
class TrendResults:
    """Every piece of notebook 42, for its tables and summary."""

    tvet: dict
    statements: pd.DataFrame
    trends: pd.DataFrame
    collapsed: pd.DataFrame
    robustness: pd.DataFrame
    comparison: pd.DataFrame
    #: What the tests cannot show, in numbers: points needed, smallest p at small n, Sen coverage at n = 3.
    limits: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    def tidy(self) -> pd.DataFrame:
        """Every statistic of the notebook (one record per number)."""
        return frame([*tvet_rows(self.tvet), *_series_rows(self), *_robustness_rows(self), *_comparison_rows(self)])

    def rows_table(self) -> pd.DataFrame:
        """Every source row of the supplementary file with its role and its use in each analysis set
        under the main collapse rule."""
        s = self.statements
        out = s[["line", "statement_date", "date_quality", "refers_to", "reference_date", "indicator", "value",
                 "qualifier", "role", "source_url"]].copy()
        for name, exact_only in ANALYSIS_SETS.items():
            gone = self.collapsed[(self.collapsed["analysis_set"] == name) & (self.collapsed["collapse_rule"] == MAIN_RULE)]
            out[f"used_{name}"] = ((s["role"] == "observation") & (s["exact_date"] | (not exact_only))
                                   & ~s["line"].isin(set(gone["line"])))
        out["statement_date"] = out["statement_date"].dt.strftime("%Y-%m-%d")
        out["reference_date"] = out["reference_date"].dt.strftime("%Y-%m-%d")
        return out


def analyse(indicators: pd.DataFrame, statements: pd.DataFrame, *, seed: int, confidence: float = 0.95,
            alpha: float = 0.05) -> TrendResults:
    """Every analysis of notebook 42 as one :class:`TrendResults`."""
    trends, collapsed = statement_trends(statements, confidence, alpha, seed)
    return TrendResults(tvet=tvet(indicators), statements=statements, trends=trends, collapsed=collapsed,
                        robustness=robustness(trends, alpha), comparison=comparison(indicators, statements),
                        limits=limits(alpha, confidence),
                        params={"seed": seed, "confidence": confidence, "alpha": alpha,
                                "reference_date": article_reference_date(indicators)})


# -- the tidy table --------------------------------------------------------------------------------

def _series_rows(res) -> list[dict]:
    p = res.params
    rows = []
    for r in res.trends.itertuples():
        common = {"subject": f"{r.indicator} [{r.analysis_set}; {r.collapse_rule}]", "n": r.n, "n_unit": "points"}
        collapsed = (f"{r.n} points after collapsing {r.n_statements} statements (one per calendar year: "
                     f"{COLLAPSE_RULES[r.collapse_rule]})")
        rows.append(record("mann_kendall_exact", "smallest_possible_p_with_ties", r.smallest_p, unit="probability",
                           method="exact null distribution with this series' ties", note=(
                               "cannot reject at alpha whatever the values: outside Tarone's family; "
                               if r.smallest_p > p["alpha"] else "") + collapsed, **common))
        if not pd.isna(r.p_value):
            family = (f"Holm within Tarone's family of {r.holm_family} series of this set and rule (those whose "
                      "smallest possible p can reach alpha)")
            rows.append(record("mann_kendall_exact", "kendall_tau_b", r.tau_b, unit="correlation", p_value=r.p_value,
                               p_adjusted=r.p_holm if r.in_family else None,
                               method=f"{r.mk_method}; {family}",
                               note=f"S = {int(r.s)}" + ("" if r.in_family else "; not in the family: no adjusted p"),
                               **common))
        if not pd.isna(r.sen_slope):
            shown = r.sen_interval == "shown"
            rows.append(record("sen_slope", "slope_per_year", r.sen_slope, unit="per year",
                               ci_low=r.sen_low if shown else None, ci_high=r.sen_high if shown else None,
                               conf_level=p["confidence"] if shown else None,
                               se=r.sen_se if shown else None, se_method="interval half-width / z" if shown else "",
                               method="scipy theilslopes", note=(f"real coverage of the nominal interval at this n: "
                                                                 f"{r.sen_coverage:.0%}" if shown else r.sen_interval),
                               **common))
        if not pd.isna(r.growth_per_year):
            rows.append(record("descriptive_growth", "growth_per_year", r.growth_per_year, unit="proportion per year",
                               method="(last / first)^(1 / years) - 1 over the collapsed series",
                               note="descriptive: an administrative stock has no sampling interval", **common))
        if not pd.isna(r.pearson_dispersion):
            rows.append(record("pearson_dispersion", "poisson_trend", r.pearson_dispersion, unit="ratio",
                               method="Pearson X^2 / (n - 2) against a log-linear Poisson trend (statsmodels GLM)",
                               note="far below 1: the stock moves less than Poisson counting noise, so no Poisson "
                                    "interval or test is used", **common))
    return rows


def _robustness_rows(res) -> list[dict]:
    rules = ", ".join(COLLAPSE_RULES)
    return [record("trend_robustness", "largest_p_holm_across_rules", r.largest_p_holm,
                   subject=f"{r.indicator} [{r.analysis_set}]", unit="probability", p_adjusted=r.largest_p_holm,
                   method=f"the largest Holm-adjusted Mann-Kendall p (within Tarone's family) across the collapse rules "
                          f"{rules}; an increasing trend is robust if it survives under every rule",
                   note=("robust rise" if r.robust else "not robust") + f"; significant under: "
                        f"{r.significant_under or 'none'}; largest under: {r.rule_of_largest}")
            for r in res.robustness.itertuples()]


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
