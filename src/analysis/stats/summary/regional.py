"""The summary of notebook 40 (regional disparity of preschool inclusion), in one language."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.i18n import t
from analysis.stats.summary import Numbers, listing, names, opening, v_words

TABLES = ("results/stats/40_regional_disparity_statistics.csv", "results/stats/40_regional_disparity_regions.csv",
          "results/stats/40_sensitivity.csv")


def regional_disparity(res, regions: pd.DataFrame, year: int, inputs: list[str], lang: str = "en") -> str:
    f = Numbers(lang)
    label = names(regions, lang)
    alpha = res.params["alpha"]
    d = res.data.assign(share=res.data["preschools_inclusive"] / res.data["preschools_total"])
    k = len(d)
    lo, hi = d.loc[d["share"].idxmin()], d.loc[d["share"].idxmax()]
    nat, c, bb, units, ix = res.national, res.chi2, res.bb, res.units, res.indices.set_index("index")
    doc = opening(lang, "s40_title", "notebooks/40_regional_disparity.ipynb", inputs,
                  ", ".join(f"`{p}`" for p in TABLES), year=year)
    doc.heading("s_what_data_say")
    doc.bullet("s40_national", inclusive=f.int(nat["inclusive"]), total=f.int(nat["total"]), share=f.pct(nat["share"]),
               ci=f.ci(nat["ci_low"], nat["ci_high"], 1, pct=True), k=k, low=f.pct(lo["share"]),
               low_name=label[lo["region_iso"]], high=f.pct(hi["share"]), high_name=label[hi["region_iso"]])
    doc.bullet("s40_differ", chi2=f.dec(c["statistic"], 1), dof=c["dof"], k=k, phi=f.dec(c["statistic"] / k, 1),
               p=f.p(c["p_value"]), v_words=v_words(c["cramers_v"], lang), v=f.dec(c["cramers_v"], 3),
               v_bc=f.dec(c["cramers_v_corrected"], 3))
    doc.bullet("s40_bb", sd=f.pp(bb["sd_true"]), mean=f.pct(bb["mu"]), icc=f.dec(bb["rho"], 3), p=f.p(bb["lr_p_value"]))

    flagged = units[units["flagged"]]
    smallest = units.loc[units["predictive_p"].idxmin()]
    outcome = (t("s40_funnel_some", lang, n=len(flagged), names=listing(label[flagged["region_iso"]], lang)) if len(flagged)
               else t("s40_funnel_none", lang, p_min=f.dec(smallest["predictive_p"], 3), name=label[smallest["region_iso"]]))
    doc.bullet("s40_funnel", outside=int(units["outside_binomial_998"].sum()), k=k, outcome=outcome)
    cannot = units[~units["can_flag_low"] | ~units["can_flag_high"]]
    doc.bullet("s40_detect", holm_first=f.dec(res.limits["holm_first"], 4),
               low_min=f.pct(units["flag_low_share"].min()), low_max=f.pct(units["flag_low_share"].max()),
               high_min=f.pct(units["flag_high_share"].min()), high_max=f.pct(units["flag_high_share"].max()),
               verdict=(t("s40_detect_some", lang, names=listing(label[cannot["region_iso"]], lang)) if len(cannot)
                        else t("s40_detect_all", lang)))

    s = res.shrunk.assign(move=lambda x: (x["shrunk_share"] - x["raw_share"]).abs())
    most = s.loc[s["move"].idxmax()]
    doc.bullet("s40_shrink", max_move=f.pp(most["move"]), name=label[most["region_iso"]], raw=f.pct(most["raw_share"]),
               shrunk=f.pct(most["shrunk_share"]), ci=f.ci(most["ci_low"], most["ci_high"], 1, pct=True),
               median_move=f.pp(float(np.median(s["move"]))), mean=f.pct(bb["mu"]))

    def idx(name, digits=3):
        r = ix.loc[name]
        return f"{f.dec(r['estimate'], digits)} ({f.ci(r['ci_low'], r['ci_high'], digits)})"

    doc.bullet("s40_indices", resamples=f.int(res.params["n_resamples"]), gini=idx("gini_unweighted"),
               theil=idx("theil_unweighted", 4), cv=idx("cv_unweighted"), maxmin=idx("max_min_ratio_unweighted", 2),
               gini_w=idx("gini_weighted"), theil_w=idx("theil_weighted", 4), cv_w=idx("cv_weighted"))
    cities = d[d["type"] == "city"]
    between = ix.loc["theil_between_fraction_weighted"]
    g = res.groups
    doc.bullet("s40_cities", n_cities=len(cities), names=listing(label[cities["region_iso"]], lang),
               city_share=f.pct(g["city_share"]), region_share=f.pct(g["region_share"]), between=f.pct(between["estimate"]),
               ci=f.ci(between["ci_low"], between["ci_high"], 1, pct=True))
    doc.bullet("s40_lorenz", n_below=g["n_below"], preschools=f.pct(g["below_preschools"]),
               inclusive=f.pct(g["below_inclusive"]), gini=f.dec(res.lorenz_gini, 3))
    m = res.moran
    doc.bullet("s40_moran", pairs=res.params["n_pairs"], i=f.dec(m["I"], 3), expected=f.dec(m["expected"], 3),
               p=f.p(m["p_permutation"]), mcse=f.dec(m["p_permutation_se"], 4),
               verdict=moran_verdict(m, alpha, k, lang))
    sens = res.sensitivity.set_index(["analysis", "quantity"])["estimate"]
    doc.bullet("s40_sensitivity", sd=f.dec(sens["all_regions", "sd_true_pp"], 1),
               sd_nc=f.dec(sens["without_cities", "sd_true_pp"], 1), gini=f.dec(sens["all_regions", "gini_unweighted"], 3),
               gini_nc=f.dec(sens["without_cities", "gini_unweighted"], 3),
               flagged_nc=int(sens["without_cities", "flagged_holm"]),
               gini_sen=f.dec(sens["all_regions", "gini_weighted_sen_children"], 3),
               share_sen=f.pct(sens["all_regions", "share_seen_by_sen_child_pct"] / 100),
               tau=f.dec(sens["logit_scale", "logit_tau"], 2), i2=f.pct(sens["logit_scale", "logit_i2"], 0),
               outside=int(sens["logit_scale", "logit_outside"]), k=k)

    doc.heading("s_limits")
    doc.bullet("s40_lim_chi2", n=f.int(c["n"]), v_min=f.dec(res.limits["v_min"], 3), alpha=f.alpha(alpha))
    doc.bullet("s40_lim_model", k=k)
    doc.bullet("s40_lim_intervals", bias=f.dec(abs(ix.loc["gini_unweighted", "bias"]), 4),
               direction=t("s_above" if ix.loc["gini_unweighted", "bias"] >= 0 else "s_below", lang))
    mm = ix.loc["max_min_ratio_unweighted"]
    doc.bullet("s40_lim_maxmin", ci=f.ci(mm["ci_low"], mm["ci_high"], 2))
    doc.bullet("s_lim_moran", k=k, pairs=res.params["n_pairs"])
    doc.bullet("s40_lim_why")
    return doc.text()


def moran_verdict(m: dict, alpha: float, k: int, lang: str) -> str:
    """One sentence on what Moran's I shows at ``alpha``."""
    if m["p_permutation"] >= alpha:
        return t("s_moran_none", lang, k=k)
    return t("s_moran_positive" if m["I"] > m["expected"] else "s_moran_negative", lang)
