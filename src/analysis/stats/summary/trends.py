"""The summary of notebook 42 (trends: the article's two points and the supplementary statements)."""

from __future__ import annotations

import pandas as pd

from analysis.stats.summary import fmt_small_p, listing
from analysis.stats.tidy import fmt, fmt_ci, fmt_int, fmt_p, fmt_pct


def trends(res, inputs: list[str]) -> str:
    p = res.params
    alpha = p["alpha"]
    tv = res.tvet
    c = tv["comparison"]
    lim = res.limits
    n_needed = lim["n_needed"]
    s = res.statements
    roles = s["role"].value_counts()
    tr = res.trends
    lines = [
        "# Trends: the article's two-point series and a supplementary series of official statements: summary",
        "",
        f"Written by `notebooks/42_trends.ipynb` from {', '.join(f'`{i}`' for i in inputs)}; every number is computed by "
        "the notebook. All statistics with their method and n: `results/stats/42_trends_statistics.csv`.",
        "",
        "## The article's TVET series: two points",
        "",
        f"- The article reports {fmt_int(tv['start'])} students ({tv['start_year']}) and {fmt_int(tv['end'])} "
        f"({tv['end_year']}) and calls it steady growth. The change is {c['difference']:+d} students, "
        f"{fmt_pct(c['growth'])} (95% interval {fmt_ci(c['growth_low'], c['growth_high'], 1, pct=True)}), or "
        f"{fmt_pct(c['annual_growth'])} a year if the rate was constant (interval "
        f"{fmt_ci(c['annual_low'], c['annual_high'], 1, pct=True)}).",
        f"- As Poisson counts the two {'differ' if c['p_value'] < alpha else 'do not differ detectably'}: score test {fmt_p(c['p_value'])} (exact conditional "
        f"{fmt_p(c['p_exact_conditional'])}). This holds only if year-to-year variation is no larger than Poisson noise; "
        f"with a dispersion factor above {fmt(c['dispersion_threshold'], 2)} the difference would not be significant, "
        "and two points leave no degree of freedom to estimate it. Enrolled students are a stock, largely the same "
        "people in both years, so Poisson variation is at best a lower bound.",
        f"- **'Steady' cannot be judged from two points.** Any path between them, steady or not, fits. The smallest "
        f"p-value an exact trend test can give with {tv['points']} points is {fmt(tv['smallest_p_trend'], 2)}; at least "
        f"{n_needed} untied yearly points are needed before an exact two-sided test can reach {alpha:g} "
        f"(2/{n_needed}! = {fmt(lim['smallest_p_needed'], 3)}).",
        "",
        "## The supplementary series (a separate source, never pooled with the article)",
        "",
        f"- `data/raw/supplementary/official_statements.csv`: {len(s)} dated statements ({_roles(roles)}). "
        f"{int((~s['exact_date']).sum())} rows carry an inferred date. Bounds, approximations, targets and other "
        "indicators are kept and shown but not used as values; every test is repeated on the rows with exact dates only.",
        f"- Per indicator: exact Mann-Kendall test (Holm across the indicators tested in each set), Sen's slope with the "
        f"real coverage of its nominal {p['confidence'] * 100:g}% interval at that n, and for counts a quasi-Poisson "
        "log-linear trend (dispersion floored at 1).",
        "",
        "| set | indicator | n | values | smallest possible p | Mann-Kendall p (Holm) | Sen slope / year (interval, real coverage) | Poisson growth / year (interval, Holm p) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in tr.itertuples():
        mk = "not testable" if pd.isna(r.p_value) else f"{fmt_small_p(r.p_value)} ({fmt_small_p(r.p_holm)})"
        sen = "-" if pd.isna(r.sen_slope) else f"{fmt(r.sen_slope, 2)} ({fmt_ci(r.sen_low, r.sen_high, 2)}, {fmt_pct(r.sen_coverage)})"
        glm = "-" if pd.isna(r.glm_growth) else (f"{fmt_pct(r.glm_growth)} ({fmt_ci(r.glm_low, r.glm_high, 1, pct=True)}, "
                                                   f"{fmt_small_p(r.glm_p_holm)})")
        lines.append(f"| {r.analysis_set.replace('_', ' ')} | {r.indicator} | {r.n} | {r.values} | {fmt_small_p(r.smallest_p)} | "
                     f"{mk} | {sen} | {glm} |")
    main = tr[tr["analysis_set"] == "all_dates"]
    rising = main[(main["p_holm"] < alpha) & (main["tau_b"] > 0)]["indicator"].tolist()
    hopeless = main[main["smallest_p"] > alpha]["indicator"].tolist()
    lines += [
        "",
        f"- With all dates, an increasing trend survives Holm's correction for: {listing(rising)}.",
        f"- Series whose smallest possible p is above {alpha:g}, so that no values could have shown a trend: "
        f"{listing(hopeless)}.",
        "",
        "## The article's start-of-2024 counts beside the ministry's nearest statements",
        "",
        "| indicator | article (S-id) | nearest statement before | nearest statement on/after |",
        "| --- | --- | --- | --- |",
    ]
    for r in res.comparison.itertuples():
        lines.append(f"| {r.indicator} | {r.article_value:g} ({r.article_stat_id}) | {_side(r, 'before')} | {_side(r, 'after')} |")
    outside = res.comparison.loc[~res.comparison["article_within_bracket"], "indicator"].tolist()
    lines += [
        "",
        f"- The article's count lies outside the range of the two nearest statements for: {listing(outside)}. The sources "
        "may count differently or at other dates; no test is possible with one number from each.",
        "",
        "## What the tests cannot show (limits, in numbers)",
        "",
        f"- Exact trend tests cannot reject at {alpha:g} below {n_needed} untied points (n = 3: smallest p "
        f"{fmt(lim['smallest_p_n3'], 2)}; n = 4: {fmt(lim['smallest_p_n4'], 3)}); ties make it worse (see the table).",
        f"- Sen's nominal {p['confidence'] * 100:g}% interval really covers the true slope between "
        f"{fmt_pct(tr['sen_coverage'].min())} and {fmt_pct(tr['sen_coverage'].max())} of the time at these n "
        f"(exact, assuming exchangeable continuous errors): at n = 3 it is a "
        f"{fmt_pct(lim['sen_coverage_n3'], 0)} interval.",
        "- The statements are not a designed series: several repeat one briefing, dates may be inferred, and a rising "
        "count of organisations says nothing about how many children are served or how well.",
        "- A trend over 2022-2026 in this source is not a trend in the article's data, which has one date per indicator.",
    ]
    return "\n".join(lines) + "\n"


def _roles(roles: pd.Series) -> str:
    words = {"observation": "stated exactly", "lower_bound": "'more than'", "approximate": "'about'",
             "target": "targets", "other_indicator": "other indicators"}
    return ", ".join(f"{int(roles.get(k, 0))} {w}" for k, w in words.items())


def _side(r, side: str) -> str:
    value = getattr(r, f"{side}_value")
    if value is None or pd.isna(value):
        return "none"
    qual = getattr(r, f"{side}_qualifier")
    q = {"exact": "", "more_than": "more than ", "about": "about "}[qual]
    return (f"{q}{value:g} ({getattr(r, f'{side}_date')}, date {getattr(r, f'{side}_date_quality')}; "
            f"difference {getattr(r, f'{side}_difference'):+g})")
