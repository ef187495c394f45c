"""Plain-language summaries of notebooks 40-42, written from the computed numbers.

Nothing here holds a result: every number comes from the results objects the notebooks pass in,
so a summary cannot go stale. English only (the figures carry kk, ru and en labels); each
summary ends with what the tests cannot show, in numbers.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import chi2 as chi2_dist
from scipy.stats import norm

from analysis.stats.trend import sen_coverage
from analysis.stats.tidy import fmt, fmt_ci, fmt_int, fmt_p, fmt_pct


def _names(regions: pd.DataFrame) -> pd.Series:
    return regions.set_index("region_iso")["short_en"]


def _list(items) -> str:
    items = list(items)
    if not items:
        return "none"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def cap(text: str) -> str:
    """First letter upper case, the rest untouched ('SEN' stays 'SEN')."""
    return text[:1].upper() + text[1:]


def v_words(v: float) -> str:
    """Cohen's (1988) words for a Cramér's V of a table with one degree of freedom per row or column."""
    return "negligible" if v < 0.1 else "small" if v < 0.3 else "moderate" if v < 0.5 else "large"


def fmt_small_p(p) -> str:
    return "-" if p is None or pd.isna(p) else f"{p:.2g}"


def smallest_significant_v(n: int, dof: int, rows: int, cols: int, alpha: float) -> float:
    """The smallest Cramér's V a chi-square test on ``n`` units reaches significance with."""
    return math.sqrt(chi2_dist.ppf(1 - alpha, dof) / (n * (min(rows, cols) - 1)))


def smallest_n_for_exact_trend(alpha: float) -> int:
    """Smallest number of untied points at which an exact two-sided trend test can reach ``alpha``."""
    n = 2
    while 2 / math.factorial(n) > alpha:
        n += 1
    return n


# -- notebook 40 -----------------------------------------------------------------------------------

def regional_disparity(res, regions: pd.DataFrame, year: int, inputs: list[str]) -> str:
    names = _names(regions)
    p = res.params
    alpha = p["alpha"]
    d = res.data.assign(share=res.data["preschools_inclusive"] / res.data["preschools_total"])
    lo, hi = d.loc[d["share"].idxmin()], d.loc[d["share"].idxmax()]
    nat = res.national
    c = res.chi2
    od = res.overdispersion
    units = res.units
    n_regions = len(d)
    ix = res.indices.set_index("index")

    def idx(name, digits=3):
        r = ix.loc[name]
        return f"{fmt(r['estimate'], digits)} (95% interval {fmt_ci(r['ci_low'], r['ci_high'], digits)})"

    v_min = smallest_significant_v(c["n"], c["dof"], c["groups"], 2, alpha)
    flagged = [names[r] for r in units.loc[units["flagged"], "region_iso"]]
    holm_first = alpha / n_regions
    z_first = norm.ppf(1 - holm_first / 2)
    below = d[d["share"] < nat["share"]]
    between = ix.loc["theil_between_fraction_weighted"]
    cities = d[d["type"] == "city"]
    lines = [
        f"# Regional disparity of preschool inclusion, {year}: summary",
        "",
        f"Written by `notebooks/40_regional_disparity.ipynb` from {', '.join(f'`{i}`' for i in inputs)}; every number is "
        "computed by the notebook. All statistics with their method and n: "
        "`results/stats/40_regional_disparity_statistics.csv` and `..._regions.csv`.",
        "",
        "## What the data say",
        "",
        f"- **National share.** {fmt_int(nat['inclusive'])} of {fmt_int(nat['total'])} public preschools "
        f"({fmt_pct(nat['share'])}, Wilson 95% interval {fmt_ci(nat['ci_low'], nat['ci_high'], 1, pct=True)}) have "
        f"conditions for inclusive education. Across the {n_regions} regions the share runs from {fmt_pct(lo['share'])} "
        f"({names[lo['region_iso']]}) to {fmt_pct(hi['share'])} ({names[hi['region_iso']]}).",
        f"- **Are the regions different?** "
        f"{'Yes, beyond chance' if c['p_value'] < alpha else 'The test cannot tell them apart'}: chi-square = {fmt(c['statistic'], 1)} on {c['dof']} "
        f"degrees of freedom, {fmt_p(c['p_value'])}. The size of the difference is {v_words(c['cramers_v'])} "
        f"(Cohen's words): Cramér's V = "
        f"{fmt(c['cramers_v'], 3)} (bias-corrected {fmt(c['cramers_v_corrected'], 3)}; 0 would mean the same share "
        "everywhere).",
        f"- **Funnel plot.** Against exact binomial limits around the national share, {int(units['outside_exact_95'].sum())} "
        f"of {n_regions} regions lie outside the 95% limits and {int(units['outside_exact_998'].sum())} outside the 99.8% "
        f"limits. "
        + (f"But the regions vary {fmt(od['phi'], 1)} times more than binomial chance allows (winsorised dispersion "
           f"factor phi, test {fmt_p(od['p_value'])}), so those limits are no fair yardstick. Allowing for this "
           "overdispersion (z divided by sqrt(phi)) and " if od["present"] else
           f"The regions vary no more than binomial chance allows (winsorised dispersion factor phi = "
           f"{fmt(od['phi'], 2)}, test {fmt_p(od['p_value'])}), so the exact limits apply; ")
        + f"correcting for {n_regions} comparisons with Holm's method, "
        + (f"{len(flagged)} region{'s' if len(flagged) != 1 else ''} stand{'s' if len(flagged) == 1 else ''} out: "
           f"{_list(flagged)}." if flagged else "no region stands out: the disparity is spread across the whole "
           "distribution rather than driven by a few outliers.")
        + " The additive random-effects model puts the between-region standard deviation "
        f"of the true shares at {fmt(100 * math.sqrt(od['tau2']), 1)} percentage points.",
        f"- **Disparity indices** (95% intervals from {p['n_resamples']} binomial resamples). Each region counted once: "
        f"Gini {idx('gini_unweighted')}, Theil {idx('theil_unweighted', 4)}, coefficient of variation "
        f"{idx('cv_unweighted')}, max/min ratio {idx('max_min_ratio_unweighted', 2)}. Each preschool counted once "
        f"(weighted): Gini {idx('gini_weighted')}, Theil {idx('theil_weighted', 4)}, coefficient of variation "
        f"{idx('cv_weighted')}.",
        f"- **Cities against the other regions.** The {len(cities)} cities of republican significance "
        f"({_list(names[c_] for c_ in cities['region_iso'])}) have {fmt_pct(cities['preschools_inclusive'].sum() / cities['preschools_total'].sum())} "
        f"of their public preschools with inclusive conditions, the other regions "
        f"{fmt_pct(d.loc[d['type'] != 'city', 'preschools_inclusive'].sum() / d.loc[d['type'] != 'city', 'preschools_total'].sum())}. "
        f"This city/region gap accounts for {fmt_pct(between['estimate'])} of the weighted Theil index "
        f"(95% interval {fmt_ci(between['ci_low'], between['ci_high'], 1, pct=True)}); the rest is disparity among "
        "the regions within each group.",
        f"- **Lorenz curve.** The {len(below)} regions below the national share hold "
        f"{fmt_pct(below['preschools_total'].sum() / d['preschools_total'].sum())} of all public preschools but "
        f"{fmt_pct(below['preschools_inclusive'].sum() / d['preschools_inclusive'].sum())} of those with inclusive "
        f"conditions (Gini from the curve {fmt(res.lorenz_gini, 3)}, equal to the weighted Gini).",
        "",
        "## What the tests cannot show (limits, in numbers)",
        "",
        f"- The chi-square test has {fmt_int(c['n'])} preschools behind it: any V above {fmt(v_min, 3)} would already be "
        f"significant at {alpha:g}. Its p-value says the shares are not all equal, not that the gap matters; read V. It "
        "also treats preschools as independent draws, which a census of preschools is not.",
        f"- The dispersion factor rests on {n_regions} regions, with the {od['winsorised_each_end']} most extreme z-scores "
        f"at each end winsorised; Holm's first threshold across {n_regions} regions is p < {fmt(holm_first, 4)}, "
        f"i.e. |z| > {fmt(z_first, 2)} after the adjustment.",
        "- The intervals of the indices describe only how much they would move if each region's count were a chance "
        "outcome around its own share. The regions are not resampled: the 20 regions are the whole country, not a sample "
        "of regions, so there is no larger population of regions for a bootstrap to describe. Noise tends to inflate "
        f"disparity: the resampled Gini is on average {fmt(abs(ix.loc['gini_unweighted', 'bias']), 4)} "
        f"{'above' if ix.loc['gini_unweighted', 'bias'] >= 0 else 'below'} the estimate.",
        f"- The max/min ratio depends on two regions only and is the least stable index (interval "
        f"{fmt_ci(ix.loc['max_min_ratio_unweighted', 'ci_low'], ix.loc['max_min_ratio_unweighted', 'ci_high'], 2)}).",
        "- None of this explains why the regions differ, or says whether 'conditions for inclusive education' are "
        "recorded the same way in every region; and a region's share says nothing about any particular preschool or child.",
    ]
    return "\n".join(lines) + "\n"


# -- notebook 41 -----------------------------------------------------------------------------------

RATIO_WORDS = {
    "shortage_per_100_sen": "total shortage per 100 children with SEN",
    "state_shortage_per_100_sen": "state-preschool shortage per 100 children with SEN",
    "shortage_per_inclusive": "total shortage per preschool with inclusive conditions",
    "state_shortage_per_inclusive": "state-preschool shortage per preschool with inclusive conditions",
}


def teacher_shortage(res, regions: pd.DataFrame, year: int, inputs: list[str]) -> str:
    names = _names(regions)
    p = res.params
    alpha = p["alpha"]
    d = res.data
    s = res.splits
    power = res.power.set_index("quantity")
    n = len(d)
    k = len(res.associations)
    lines = [
        f"# Teacher shortage for inclusive preschool education, {year}: summary",
        "",
        f"Written by `notebooks/41_teacher_shortage.ipynb` from {', '.join(f'`{i}`' for i in inputs)}; every number is "
        "computed by the notebook. All statistics with their method and n: `results/stats/41_teacher_shortage_statistics.csv` "
        "and `..._regions.csv`.",
        "",
        "## What the data say",
        "",
        f"- **Scope.** Table 2's shortage ({fmt_int(d['shortage_total'].sum())} persons) covers state and private "
        f"preschools; Table 1's children with SEN ({fmt_int(d['sen_children'].sum())}) and preschools are public only. "
        f"Ratios are therefore given with the total shortage (scope mismatch) and with the state-preschool shortage "
        f"({fmt_int(d['shortage_state'].sum())} persons, matched scope).",
    ]
    for ratio, f in res.funnels.items():
        u = f["units"].assign(name=lambda x: x["region_iso"].map(names))
        lo, hi = u.loc[u["estimate"].idxmin()], u.loc[u["estimate"].idxmax()]
        flagged = _list(u.loc[u["flagged"], "name"])
        lines.append(
            f"- **{cap(RATIO_WORDS[ratio])}**: {fmt(f['rate'], 2)} nationally, from {fmt(lo['estimate'], 2)} "
            f"({lo['name']}) to {fmt(hi['estimate'], 2)} ({hi['name']}). The regions vary {fmt(f['overdispersion']['phi'], 0)} "
            f"times more than Poisson counts would (phi); after allowing for that and Holm's correction, flagged: {flagged}.")
    nat_u, nat_p = s["national"]["urban"], s["national"]["private"]
    ur, sp = s["urban_rural"], s["state_private"]
    lines += [
        f"- **Urban and rural.** Nationally {fmt_pct(nat_u['share'])} of the shortage is in urban areas. Among the "
        f"{ur['groups']} regions that have rural areas (the cities {_list(names[c] for c in s['urban_rural_excluded'])} have "
        f"none), the urban/rural split {'differs' if ur['p_value'] < alpha else 'does not differ detectably'} by region: chi-square = {fmt(ur['statistic'], 1)}, df = {ur['dof']}, "
        f"{fmt_p(ur['p_value'])}, Cramér's V = {fmt(ur['cramers_v'], 2)} (bias-corrected {fmt(ur['cramers_v_corrected'], 2)}).",
        f"- **State and private.** Nationally {fmt_pct(nat_p['share'])} of the shortage is in private preschools; the "
        f"split {'differs' if sp['p_value'] < alpha else 'does not differ detectably'} by region: chi-square = {fmt(sp['statistic'], 1)}, df = {sp['dof']}, {fmt_p(sp['p_value'])}, "
        f"Cramér's V = {fmt(sp['cramers_v'], 2)} (bias-corrected {fmt(sp['cramers_v_corrected'], 2)}).",
    ]
    for row in res.concentration.itertuples():
        lines.append(
            f"- **Concentration, top {row.top}.** The {row.top} regions with the largest shortage "
            f"({_list(names[c] for c in row.regions.split(';'))}) hold {fmt_pct(row.shortage_share)} of it, but only "
            f"{fmt_pct(row.sen_share)} of the children with SEN and {fmt_pct(row.preschool_share)} of the public preschools.")
    g = res.lorenz_gini
    lines.append(f"- **Lorenz curves.** Gini of the shortage against regions (equal weight) {fmt(g['regions'], 3)}, "
                 f"against children with SEN {fmt(g['sen_children'], 3)}, against public preschools "
                 f"{fmt(g['preschools_total'], 3)}.")
    lines += ["", f"## The {k} associations chosen in advance", "",
              f"Written down (in `analysis.stats.association.PLANNED_ASSOCIATIONS` and the notebook) before any was "
              f"computed; Spearman's rho over the {n} regions, permutation p-value ({p['n_permutations']} permutations), "
              f"paired bootstrap interval ({p['n_bootstrap']} resamples), Holm's correction across the {k}.", ""]
    for row in res.associations.itertuples():
        verdict = "significant after Holm" if row.p_holm < alpha else "not significant after Holm"
        coupling = ("" if row.shared_term == "none" else
                    f" Caution: {row.shared_term}, which builds part of this correlation in whatever the counts are.")
        lines.append(f"- **{cap(row.question)}**: rho = {fmt(row.rho, 2)} (95% interval "
                     f"{fmt_ci(row.ci_low, row.ci_high, 2)}), {fmt_p(row.p_value)}, Holm {fmt_p(row.p_holm)}: {verdict}.{coupling}")
    detect = power.loc[f"detectable_rho_80pct_alpha_{alpha:.4g}", "estimate"]
    detect_holm = power.loc[f"detectable_rho_80pct_alpha_{alpha / k:.4g}", "estimate"]
    lines += [
        "",
        "## What the tests cannot show (limits, in numbers)",
        "",
        f"- **Power at n = {n}.** A true Spearman correlation of 0.3 would be detected with probability "
        f"{fmt_pct(power.loc[f'power_rho_0.3_alpha_{alpha:.4g}', 'estimate'], 0)}, one of 0.5 with "
        f"{fmt_pct(power.loc[f'power_rho_0.5_alpha_{alpha:.4g}', 'estimate'], 0)} (simulation check "
        f"{fmt_pct(power.loc[f'power_rho_0.5_alpha_{alpha:g}_simulated', 'estimate'], 0)}), at alpha = {alpha:g}. "
        f"The smallest correlation detected with 80% power is {fmt(detect, 2)} ({fmt(detect_holm, 2)} at Holm's first "
        f"threshold alpha/{k}). A non-significant association here is not evidence of no association.",
        "- **Shared terms.** Ratios that share a denominator, or where one ratio's numerator is the other's "
        "denominator, are correlated by construction (Pearson's spurious correlation of ratios); see the cautions above.",
        "- **Ecological fallacy.** These are correlations between regional aggregates. They say nothing about whether a "
        "preschool, a teacher or a child with SEN in any region experiences the same relation.",
        "- **Counts of persons are not independent trials.** The chi-square tests and the Poisson funnel limits treat "
        f"each person short as an independent unit; with {fmt_int(d['shortage_total'].sum())} persons any difference is "
        "'significant', and the dispersion factors above show how far the regions are from that model. Read the "
        "effect sizes (V, the ratios, the concentration shares), not the p-values.",
        "- Table 2 does not say how the shortage was assessed; regions may count vacancies differently.",
    ]
    return "\n".join(lines) + "\n"


# -- notebook 42 -----------------------------------------------------------------------------------

def trends(res, inputs: list[str]) -> str:
    p = res.params
    alpha = p["alpha"]
    tv = res.tvet
    c = tv["comparison"]
    n_needed = smallest_n_for_exact_trend(alpha)
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
        f"(2/{n_needed}! = {fmt(2 / math.factorial(n_needed), 3)}).",
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
        f"- With all dates, an increasing trend survives Holm's correction for: {_list(rising)}.",
        f"- Series whose smallest possible p is above {alpha:g}, so that no values could have shown a trend: "
        f"{_list(hopeless)}.",
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
        f"- The article's count lies outside the range of the two nearest statements for: {_list(outside)}. The sources "
        "may count differently or at other dates; no test is possible with one number from each.",
        "",
        "## What the tests cannot show (limits, in numbers)",
        "",
        f"- Exact trend tests cannot reject at {alpha:g} below {n_needed} untied points (n = 3: smallest p "
        f"{fmt(2 / math.factorial(3), 2)}; n = 4: {fmt(2 / math.factorial(4), 3)}); ties make it worse (see the table).",
        f"- Sen's nominal {p['confidence'] * 100:g}% interval really covers the true slope between "
        f"{fmt_pct(tr['sen_coverage'].min())} and {fmt_pct(tr['sen_coverage'].max())} of the time at these n "
        f"(exact, assuming exchangeable continuous errors): at n = 3 it is a "
        f"{fmt_pct(sen_coverage(np.arange(3.0), np.arange(3.0), p['confidence']), 0)} interval.",
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
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "none"
    qual = getattr(r, f"{side}_qualifier")
    q = {"exact": "", "more_than": "more than ", "about": "about "}[qual]
    return (f"{q}{value:g} ({getattr(r, f'{side}_date')}, date {getattr(r, f'{side}_date_quality')}; "
            f"difference {getattr(r, f'{side}_difference'):+g})")
