"""The summary of notebook 40 (regional disparity of preschool inclusion)."""

from __future__ import annotations

import pandas as pd

from analysis.stats.summary import listing, names, v_words
from analysis.stats.tidy import fmt, fmt_ci, fmt_int, fmt_p, fmt_pct


def regional_disparity(res, regions: pd.DataFrame, year: int, inputs: list[str]) -> str:
    label = names(regions)
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

    lim = res.limits
    flagged = [label[r] for r in units.loc[units["flagged"], "region_iso"]]
    between = ix.loc["theil_between_fraction_weighted"]
    cities = d[d["type"] == "city"]
    groups = res.groups
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
        f"({label[lo['region_iso']]}) to {fmt_pct(hi['share'])} ({label[hi['region_iso']]}).",
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
           f"{listing(flagged)}." if flagged else "no region stands out: the disparity is spread across the whole "
           "distribution rather than driven by a few outliers.")
        + " The additive random-effects model puts the between-region standard deviation "
        f"of the true shares at {fmt(lim['tau_pp'], 1)} percentage points.",
        f"- **Disparity indices** (95% intervals from {p['n_resamples']} binomial resamples). Each region counted once: "
        f"Gini {idx('gini_unweighted')}, Theil {idx('theil_unweighted', 4)}, coefficient of variation "
        f"{idx('cv_unweighted')}, max/min ratio {idx('max_min_ratio_unweighted', 2)}. Each preschool counted once "
        f"(weighted): Gini {idx('gini_weighted')}, Theil {idx('theil_weighted', 4)}, coefficient of variation "
        f"{idx('cv_weighted')}.",
        f"- **Cities against the other regions.** The {len(cities)} cities of republican significance "
        f"({listing(label[c_] for c_ in cities['region_iso'])}) have {fmt_pct(groups['city_share'])} "
        f"of their public preschools with inclusive conditions, the other regions "
        f"{fmt_pct(groups['region_share'])}. "
        f"This city/region gap accounts for {fmt_pct(between['estimate'])} of the weighted Theil index "
        f"(95% interval {fmt_ci(between['ci_low'], between['ci_high'], 1, pct=True)}); the rest is disparity among "
        "the regions within each group.",
        f"- **Lorenz curve.** The {groups['n_below']} regions below the national share hold "
        f"{fmt_pct(groups['below_preschools'])} of all public preschools but "
        f"{fmt_pct(groups['below_inclusive'])} of those with inclusive "
        f"conditions (Gini from the curve {fmt(res.lorenz_gini, 3)}, equal to the weighted Gini).",
        "",
        "## What the tests cannot show (limits, in numbers)",
        "",
        f"- The chi-square test has {fmt_int(c['n'])} preschools behind it: any V above {fmt(lim['v_min'], 3)} would already be "
        f"significant at {alpha:g}. Its p-value says the shares are not all equal, not that the gap matters; read V. It "
        "also treats preschools as independent draws, which a census of preschools is not.",
        f"- The dispersion factor rests on {n_regions} regions, with the {od['winsorised_each_end']} most extreme z-scores "
        f"at each end winsorised; Holm's first threshold across {n_regions} regions is p < {fmt(lim['holm_first'], 4)}, "
        f"i.e. |z| > {fmt(lim['z_first'], 2)} after the adjustment.",
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
