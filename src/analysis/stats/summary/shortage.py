"""The summary of notebook 41 (teacher shortage against preschool inclusion)."""

from __future__ import annotations

import pandas as pd

from analysis.stats.summary import cap, listing, names
from analysis.stats.tidy import fmt, fmt_ci, fmt_int, fmt_p, fmt_pct

RATIO_WORDS = {
    "shortage_per_100_sen": "total shortage per 100 children with SEN",
    "state_shortage_per_100_sen": "state-preschool shortage per 100 children with SEN",
    "shortage_per_inclusive": "total shortage per preschool with inclusive conditions",
    "state_shortage_per_inclusive": "state-preschool shortage per preschool with inclusive conditions",
}


def teacher_shortage(res, regions: pd.DataFrame, year: int, inputs: list[str]) -> str:
    label = names(regions)
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
        u = f["units"].assign(name=lambda x: x["region_iso"].map(label))
        lo, hi = u.loc[u["estimate"].idxmin()], u.loc[u["estimate"].idxmax()]
        flagged = listing(u.loc[u["flagged"], "name"])
        lines.append(
            f"- **{cap(RATIO_WORDS[ratio])}**: {fmt(f['rate'], 2)} nationally, from {fmt(lo['estimate'], 2)} "
            f"({lo['name']}) to {fmt(hi['estimate'], 2)} ({hi['name']}). The regions vary {fmt(f['overdispersion']['phi'], 0)} "
            f"times more than Poisson counts would (phi); after allowing for that and Holm's correction, flagged: {flagged}.")
    nat_u, nat_p = s["national"]["urban"], s["national"]["private"]
    ur, sp = s["urban_rural"], s["state_private"]
    lines += [
        f"- **Urban and rural.** Nationally {fmt_pct(nat_u['share'])} of the shortage is in urban areas. Among the "
        f"{ur['groups']} regions that have rural areas (the cities {listing(label[c] for c in s['urban_rural_excluded'])} have "
        f"none), the urban/rural split {'differs' if ur['p_value'] < alpha else 'does not differ detectably'} by region: chi-square = {fmt(ur['statistic'], 1)}, df = {ur['dof']}, "
        f"{fmt_p(ur['p_value'])}, Cramér's V = {fmt(ur['cramers_v'], 2)} (bias-corrected {fmt(ur['cramers_v_corrected'], 2)}).",
        f"- **State and private.** Nationally {fmt_pct(nat_p['share'])} of the shortage is in private preschools; the "
        f"split {'differs' if sp['p_value'] < alpha else 'does not differ detectably'} by region: chi-square = {fmt(sp['statistic'], 1)}, df = {sp['dof']}, {fmt_p(sp['p_value'])}, "
        f"Cramér's V = {fmt(sp['cramers_v'], 2)} (bias-corrected {fmt(sp['cramers_v_corrected'], 2)}).",
    ]
    for row in res.concentration.itertuples():
        lines.append(
            f"- **Concentration, top {row.top}.** The {row.top} regions with the largest shortage "
            f"({listing(label[c] for c in row.regions.split(';'))}) hold {fmt_pct(row.shortage_share)} of it, but only "
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
