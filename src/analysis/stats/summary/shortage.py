"""The summary of notebook 41 (teacher shortage against preschool inclusion), in one language."""

from __future__ import annotations

import pandas as pd

from analysis.i18n import t
from analysis.stats.shortage import RATIOS
from analysis.stats.summary import Numbers, listing, names, opening
from analysis.stats.summary.regional import moran_verdict

TABLES = ("results/stats/41_teacher_shortage_statistics.csv", "results/stats/41_teacher_shortage_regions.csv")


def teacher_shortage(res, regions: pd.DataFrame, year: int, inputs: list[str], lang: str = "en") -> str:
    """The plain-language summary of :class:`analysis.stats.shortage.ShortageResults` in ``lang``:
    every number from the results, every sentence a template of ``summaries.csv``."""
    f = Numbers(lang)
    label = names(regions, lang)
    p = res.params
    alpha = p["alpha"]
    d = res.data
    n = len(d)
    sc = res.scope.note
    corr = res.scope.correlations.set_index(["x", "y"])
    doc = opening(lang, "s41_title", "notebooks/41_teacher_shortage.ipynb", inputs,
                  ", ".join(f"`{x}`" for x in TABLES), year=year)
    doc.heading("s_what_data_say")
    doc.bullet("s41_scope", total=f.int(sc["total"]), private_share=f.pct(sc["private_share"]), private=f.int(sc["private"]),
               sen=f.int(d["sen_children"].sum()), state=f.int(sc["state"]))
    doc.bullet("s41_definition")

    def rho(x, y):
        r = corr.loc[(x, y)]
        return f.dec(r["rho"], 2), f.ci(r["ci_low"], r["ci_high"], 2), f.p(r["p_value"])

    r_sen, ci_sen, p_sen = rho("sen_children", "shortage_state")
    r_incl, ci_incl, p_incl = rho("preschools_inclusive", "shortage_state")
    r_pre, ci_pre, p_pre = rho("preschools_total", "shortage_state")
    r_rate, ci_rate, _ = rho("sen_children", "state_shortage_per_100_sen")
    doc.bullet("s41_scope_evidence", r_sen=r_sen, ci_sen=ci_sen, p_sen=p_sen, r_incl=r_incl, ci_incl=ci_incl,
               p_incl=p_incl, r_pre=r_pre, ci_pre=ci_pre, p_pre=p_pre, r_rate=r_rate, ci_rate=ci_rate)
    for ratio in RATIOS:
        disp = res.rates.dispersion[ratio]
        lo, hi = d.loc[d[ratio].idxmin()], d.loc[d[ratio].idxmax()]
        doc.bullet("s41_rate", what=t(f"s41_ratio_{ratio}", lang), rate=f.dec(disp["rate"], 2), low=f.dec(lo[ratio], 2),
                   low_name=label[lo["region_iso"]], high=f.dec(hi[ratio], 2), high_name=label[hi["region_iso"]],
                   phi=f.int(disp["phi"]))
    s = res.splits.splits
    ur, sp = s["urban_rural"], s["state_private"]
    doc.bullet("s41_urban", share=f.pct(s["national"]["urban"]["share"]), groups=ur["groups"],
               cities=listing(label[s["urban_rural_excluded"]], lang),
               verdict=t("s_differs" if ur["p_value"] < alpha else "s_no_difference", lang), chi2=f.dec(ur["statistic"], 1),
               dof=ur["dof"], p=f.p(ur["p_value"]), v=f.dec(ur["cramers_v"], 2), v_bc=f.dec(ur["cramers_v_corrected"], 2))
    doc.bullet("s41_private", share=f.pct(s["national"]["private"]["share"]),
               verdict=t("s_differs" if sp["p_value"] < alpha else "s_no_difference", lang), chi2=f.dec(sp["statistic"], 1),
               dof=sp["dof"], p=f.p(sp["p_value"]), v=f.dec(sp["cramers_v"], 2), v_bc=f.dec(sp["cramers_v_corrected"], 2))
    for row in res.concentration.table.itertuples():
        doc.bullet("s41_concentration", top=row.top, names=listing(label[row.regions.split(";")], lang),
                   share=f.pct(row.shortage_share), amount=f.int(row.amount), total=f.int(row.total),
                   sen_share=f.pct(row.sen_share), preschool_share=f.pct(row.preschool_share))
    g = res.concentration.gini
    doc.bullet("s41_lorenz", regions=f.dec(g["regions"], 3), sen=f.dec(g["sen_children"], 3),
               preschools=f.dec(g["preschools_total"], 3))
    m, variants = res.moran.main, res.moran.variants
    doc.bullet("s41_moran", i=f.dec(m["I"], 3), expected=f.dec(m["expected"], 3), p=f.p(m["p"]),
               mcse=f.dec(m["p_mcse"], 4), verdict=moran_verdict(m["p"], m["I"], m["expected"], alpha, n, lang),
               n_variants=len(variants), i_min=f.dec(variants["I"].min(), 3), i_max=f.dec(variants["I"].max(), 3),
               p_min=f.p(variants["p"].min()))
    doc.bullet("s41_scope_note", names=listing(label[sc["top3_total_regions"].split(";")], lang),
               share_total=f.pct(sc["top3_total_share"]), sen_share_total=f.pct(sc["top3_total_sen_share"]),
               share_state=f.pct(sc["same_regions_state_share"]), state_same=f.int(sc["same_regions_state"]),
               state=f.int(sc["state"]))

    a = res.associations.table
    conditional = res.associations.conditional.set_index("key")
    k = len(a)
    exch = corr.loc[("preschools_total", "sen_children")]
    doc.heading("s41_assoc_heading", k=k)
    doc.para("s41_assoc_intro", n=n, b=f.int(a["resamples"].iloc[0]), k=k, alpha=f.alpha(alpha),
             rho_exch=f.dec(exch["rho"], 2), ci_exch=f.ci(exch["ci_low"], exch["ci_high"], 2))
    for i, row in enumerate(a.itertuples(), start=1):
        matched = ("" if row.shared_term == "none" else
                   t("s41_assoc_matched", lang, p=f.p(row.p_value), null_mean=f.dec(row.null_mean, 2)))
        cond = ""
        if row.key in conditional.index:
            c = conditional.loc[row.key]
            cond = t("s41_assoc_conditional", lang, odds=f.dec(c["odds_ratio_per_doubling"], 2),
                     odds_ci=f.ci(c["or_low"], c["or_high"], 2), p=f.p(c["p_value"]))
        doc.bullet("s41_assoc", number=i, question=t(f"s41_q_{row.key}", lang), rho=f.dec(row.rho, 2),
                   ci=f.ci(row.ci_low, row.ci_high, 2), p_plain=f.p(row.p_plain),
                   mcse=f.dec(row.p_plain_mcse, 4), matched=matched, conditional=cond, p_holm=f.p(row.p_holm),
                   holm_mcse=f.dec(row.p_holm_mcse, 4), decision=t("s_decision_" + row.decision.replace(" ", "_"), lang))

    power = res.power.table.set_index("quantity")["estimate"]
    doc.heading("s_limits")
    doc.bullet("s41_lim_power", n=n, p3=f.pct(power[f"power_rho_0.3_alpha_{alpha:.4g}"], 0),
               p5=f.pct(power[f"power_rho_0.5_alpha_{alpha:.4g}"], 0),
               p5_sim=f.pct(power[f"power_rho_0.5_alpha_{alpha:g}_simulated"], 0), alpha=f.alpha(alpha),
               detect=f.dec(power[f"detectable_rho_80pct_alpha_{alpha:.4g}"], 2),
               detect_holm=f.dec(power[f"detectable_rho_80pct_alpha_{alpha / k:.4g}"], 2), k=k)
    doc.bullet("s41_lim_shared")
    doc.bullet("s41_lim_ecological")
    doc.bullet("s41_lim_counts", persons=f.int(d["shortage_total"].sum()))
    doc.bullet("s_lim_moran", k=n, pairs=p["n_pairs"], uncertain=res.moran.n_uncertain)
    doc.bullet("s41_lim_assessment")
    return doc.text()
