"""The summary of notebook 40 (regional disparity of preschool inclusion), in one language."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.i18n import t
from analysis.stats.summary import Numbers, listing, names, opening, v_words

TABLES = ("results/stats/40_regional_disparity_statistics.csv", "results/stats/40_regional_disparity_regions.csv",
          "results/stats/40_sensitivity.csv")


def regional_disparity(res, regions: pd.DataFrame, year: int, inputs: list[str], lang: str = "en") -> str:
    """The plain-language summary of :class:`analysis.stats.regional.RegionalResults` in ``lang``:
    every number from the results, every sentence a template of ``summaries.csv``; the conclusions
    (which regions stand out, what drives Moran's I) are computed here from the numbers."""
    f = Numbers(lang)
    label = names(regions, lang)
    alpha = res.params["alpha"]
    d = res.data
    k = len(d)
    lo, hi = d.loc[d["share"].idxmin()], d.loc[d["share"].idxmax()]
    nat, c, ob, cm = res.shares.national, res.homogeneity, res.one_beta, res.cities
    bb, units, ix = ob.fit, ob.units, res.indices.table.set_index("index")
    doc = opening(lang, "s40_title", "notebooks/40_regional_disparity.ipynb", inputs,
                  ", ".join(f"`{p}`" for p in TABLES), year=year)
    doc.heading("s_what_data_say")
    doc.bullet("s40_national", inclusive=f.int(nat["inclusive"]), total=f.int(nat["total"]), share=f.pct(nat["share"]),
               ci=f.ci(nat["ci_low"], nat["ci_high"], 1, pct=True), k=k, low=f.pct(lo["share"]),
               low_name=label[lo["region_iso"]], high=f.pct(hi["share"]), high_name=label[hi["region_iso"]])
    doc.bullet("s40_differ", chi2=f.dec(c["statistic"], 1), dof=c["dof"], k=k, phi=f.dec(c["statistic"] / k, 1),
               p=f.p(c["p_value"]), v_words=v_words(c["cramers_v"], lang), v=f.dec(c["cramers_v"], 3),
               v_bc=f.dec(c["cramers_v_corrected"], 3))
    doc.bullet("s40_bb", k=k, sd=f.pp(bb["sd_true"]), sd_ci=f.ci(100 * ob.sd_ci[0], 100 * ob.sd_ci[1], 1),
               mean=f.pct(bb["mu"]), icc=f.dec(bb["rho"], 3), icc_ci=f.ci(ob.rho_ci[0], ob.rho_ci[1], 3),
               p=f.p(bb["lr_p_value"]))

    mu_region, region_low, region_high, _ = cm.group_mean("region")
    mu_city, city_low, city_high, _ = cm.group_mean("city")
    odds = cm.rows()[0]
    doc.bullet("s40_cities_model", lr=f.dec(cm.lr, 1), p=f.p(cm.lr_p), mu_city=f.pct(mu_city),
               mu_city_ci=f.ci(city_low, city_high, 1, pct=True), mu_region=f.pct(mu_region),
               mu_region_ci=f.ci(region_low, region_high, 1, pct=True), odds=f.dec(odds["estimate"], 1),
               odds_ci=f.ci(odds["ci_low"], odds["ci_high"], 1), icc=f.dec(bb["rho"], 3),
               icc_city=f.dec(cm.fit["rho"], 3), icc_city_ci=f.ci(cm.rho_ci[0], cm.rho_ci[1], 3))

    flagged = units[units["flagged"]]
    smallest = units.loc[units["predictive_p"].idxmin()]
    outcome = (t("s40_funnel_some", lang, n=len(flagged), names=listing(label[flagged["region_iso"]], lang)) if len(flagged)
               else t("s40_funnel_none", lang, p_min=f.dec(smallest["predictive_p"], 3), name=label[smallest["region_iso"]]))
    loo = units.loc[units["loo_p"].idxmin()]
    doc.bullet("s40_funnel", outside=int(units["outside_binomial_998"].sum()), k=k, outcome=outcome,
               loo_p=f.dec(loo["loo_p"], 3), loo_name=label[loo["region_iso"]], loo_holm=f.dec(units["loo_holm"].min(), 2))

    cannot = units[~units["can_flag_low"] | ~units["can_flag_high"]]
    doc.bullet("s40_detect", holm_first=f.dec(ob.limits["holm_first"], 4),
               low_min=f.pct(units["flag_low_share"].min()), low_max=f.pct(units["flag_low_share"].max()),
               high_min=f.pct(units["flag_high_share"].min()), high_max=f.pct(units["flag_high_share"].max()),
               verdict=(t("s40_detect_some", lang, names=listing(label[cannot["region_iso"]], lang)) if len(cannot)
                        else t("s40_detect_all", lang)))

    cu = cm.units
    cities = cu[cu["type"] == "city"]
    standing = cu[cu["loo_flagged"]]
    least = cu.loc[cu["loo_p"].idxmin()]
    outcome = (t("s40_cluster_some", lang, n=len(standing), names=listing(label[standing["region_iso"]], lang))
               if len(standing) else
               t("s40_cluster_none", lang, p=f.dec(least["loo_p"], 3), name=label[least["region_iso"]],
                 holm=f.dec(cu["loo_holm"].min(), 2)))
    doc.bullet("s40_cluster", k_regions=cm.against_regions["n"], k=k, p_low=f.dec(cities["against_regions_p"].min(), 3),
               p_high=f.dec(cities["against_regions_p"].max(), 3), outcome=outcome)

    s = ob.shrunk.assign(move=lambda x: (x["shrunk_share"] - x["raw_share"]).abs())
    most = s.loc[s["move"].idxmax()]
    doc.bullet("s40_shrink", max_move=f.pp(most["move"]), name=label[most["region_iso"]], raw=f.pct(most["raw_share"]),
               shrunk=f.pct(most["shrunk_share"]), ci=f.ci(most["ci_low"], most["ci_high"], 1, pct=True),
               median_move=f.pp(float(np.median(s["move"]))), mean=f.pct(bb["mu"]))

    def idx(name, digits=3):
        r = ix.loc[name]
        return f"{f.dec(r['estimate'], digits)} ({f.ci(r['ci_low'], r['ci_high'], digits)})"

    doc.bullet("s40_indices", resamples=f.int(res.indices.n_resamples), gini=idx("gini_unweighted"),
               theil=idx("theil_unweighted", 4), cv=idx("cv_unweighted"), maxmin=idx("max_min_ratio_unweighted", 2),
               gini_w=idx("gini_weighted"), theil_w=idx("theil_weighted", 4), cv_w=idx("cv_weighted"))
    city_rows = d[d["type"] == "city"]
    between = ix.loc["theil_between_fraction_weighted"]
    g = res.groups
    doc.bullet("s40_cities", n_cities=len(city_rows), names=listing(label[city_rows["region_iso"]], lang),
               city_share=f.pct(g["city_share"]), region_share=f.pct(g["region_share"]), between=f.pct(between["estimate"]),
               ci=f.ci(between["ci_low"], between["ci_high"], 1, pct=True))
    doc.bullet("s40_lorenz", n_below=g["n_below"], preschools=f.pct(g["below_preschools"]),
               inclusive=f.pct(g["below_inclusive"]), gini=f.dec(res.lorenz_gini, 3))
    mo = res.moran
    m = mo.main
    doc.bullet("s40_moran", pairs=mo.n_pairs, i=f.dec(m["I"], 3), expected=f.dec(m["expected"], 3), p=f.p(m["p"]),
               mcse=f.dec(m["p_mcse"], 4), verdict=moran_verdict(m["p"], m["I"], m["expected"], alpha, k, lang))
    v = mo.variants.set_index("variant")
    doc.extend("s40_moran_variants", i_binary=f.dec(v.loc["binary_weights", "I"], 3),
                     p_binary=f.p(v.loc["binary_weights", "p"]), i_nc=f.dec(v.loc["row_weights_without_cities", "I"], 3),
                     p_nc=f.p(v.loc["row_weights_without_cities", "p"]), n_uncertain=mo.n_uncertain,
                     i_certain=f.dec(v.loc["row_weights_certain_pairs", "I"], 3),
                     p_certain=f.p(v.loc["row_weights_certain_pairs", "p"]), n_negative=int((v["I"] < 0).sum()),
                     n_variants=len(v), city_share=f.pct(mo.drivers["city_pairs_share"], 0), alpha=f.alpha(alpha),
                     n_significant=int((v["p"] < alpha).sum()))
    sens = res.sensitivity.set_index(["subject", "quantity"])

    def est(subject, quantity, digits=3, pct=False):
        r = sens.loc[(subject, quantity)]
        value = f.pct(r["estimate"]) if pct else f.dec(r["estimate"], digits)
        return value, f.ci(r["ci_low"], r["ci_high"], 1 if pct else digits, pct=pct)

    icc_nc, icc_nc_ci = est("without_cities", "icc")
    sd_nc = sens.loc[("without_cities", "sd_of_true_shares")]
    gini_nc, gini_nc_ci = est("without_cities", "gini_unweighted")
    gini_sen, gini_sen_ci = est("all_regions", "gini_weighted_sen_children")
    share_sen, share_sen_ci = est("all_regions", "share_seen_by_sen_child", pct=True)
    tau, tau_ci = est("logit_scale", "logit_tau", 2)
    i2 = sens.loc[("logit_scale", "logit_i2")]
    doc.bullet("s40_sensitivity", icc_nc=icc_nc, icc_nc_ci=icc_nc_ci, sd_nc=f.pp(sd_nc["estimate"]),
               sd_nc_ci=f.ci(100 * sd_nc["ci_low"], 100 * sd_nc["ci_high"], 1), k=k, sd=f.pp(bb["sd_true"]),
               gini_nc=gini_nc, gini_nc_ci=gini_nc_ci, gini=f.dec(ix.loc["gini_unweighted", "estimate"], 3),
               holm_nc=f.dec(sens.loc[("without_cities", "smallest_holm_p_leave_one_out"), "p_adjusted"], 2),
               gini_sen=gini_sen, gini_sen_ci=gini_sen_ci, share_sen=share_sen, share_sen_ci=share_sen_ci,
               tau=tau, tau_ci=tau_ci, i2=f.pct(i2["estimate"], 0), i2_ci=f.ci(i2["ci_low"], i2["ci_high"], 0, pct=True),
               z_holm=f.dec(sens.loc[("logit_scale", "logit_largest_abs_z"), "p_adjusted"], 2))

    doc.heading("s_limits")
    doc.bullet("s40_lim_chi2", n=f.int(c["n"]), v_min=f.dec(c["v_min"], 3), alpha=f.alpha(alpha))
    doc.bullet("s40_lim_model", k=k)
    doc.bullet("s40_lim_intervals", bias=f.dec(abs(ix.loc["gini_unweighted", "bias"]), 4),
               direction=t("s_above" if ix.loc["gini_unweighted", "bias"] >= 0 else "s_below", lang))
    mm = ix.loc["max_min_ratio_unweighted"]
    doc.bullet("s40_lim_maxmin", bias=f.dec(mm["bias"], 2), ci=f.ci(mm["ci_low"], mm["ci_high"], 2))
    doc.bullet("s_lim_moran", k=k, pairs=mo.n_pairs, uncertain=mo.n_uncertain)
    doc.bullet("s40_lim_why")
    return doc.text()


def moran_verdict(p: float, statistic: float, expected: float, alpha: float, k: int, lang: str) -> str:
    """One sentence on what Moran's I shows at ``alpha``."""
    if p >= alpha:
        return t("s_moran_none", lang, k=k)
    return t("s_moran_positive" if statistic > expected else "s_moran_negative", lang)
