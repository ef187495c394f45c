"""The statistics of notebook 42 as tidy records (one number a row, with unit, n and method)."""

from __future__ import annotations

import pandas as pd

from analysis.stats.tidy import frame, record


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
