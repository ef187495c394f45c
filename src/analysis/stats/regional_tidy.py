"""The statistics of notebook 40 as tidy records (one number a row, with unit, n and method)."""

from __future__ import annotations

from analysis.precision import format_value
from analysis.stats.tidy import record


def national_rows(res) -> list[dict]:
    p = res.params
    level = p["confidence"]
    k = len(res.data)
    c, bb, m = res.chi2, res.bb, res.moran
    regions = {"n": k, "n_unit": "regions"}
    rows = [
        record("national_share", "inclusive_share", res.national["share"], unit="proportion",
               ci_low=res.national["ci_low"], ci_high=res.national["ci_high"], conf_level=level,
               n=res.national["total"], n_unit="preschools", method="Wilson interval (statsmodels proportion_confint)",
               note="sum of the 20 regions; a census, so the interval answers the superpopulation question"),
        record("chi2_homogeneity", "chi2", c["statistic"], unit="statistic", p_value=c["p_value"], n=c["n"],
               n_unit="preschools", method=f"Pearson chi-square, {c['groups']} regions x 2, df = {c['dof']} (scipy chi2_contingency)",
               note=(f"= the sum of the squared binomial z-scores: the same evidence as the dispersion factor "
                     f"phi = chi2 / {k} = {c['statistic'] / k:.1f}; the binomial model it tests is rejected by it, so "
                     "its p-value says only that the regions differ beyond one common share")),
        record("chi2_homogeneity", "cramers_v", c["cramers_v"], unit="index", n=c["n"], n_unit="preschools",
               method="Cramér's V", note="0 = the same share everywhere; 1 = complete separation"),
        record("chi2_homogeneity", "cramers_v_bias_corrected", c["cramers_v_corrected"], unit="index", n=c["n"],
               n_unit="preschools", method="bias-corrected Cramér's V (Bergsma 2013)"),
        record("beta_binomial", "icc", bb["rho"], unit="index", p_value=bb["lr_p_value"], **regions,
               method="maximum-likelihood beta-binomial; p: likelihood ratio against the binomial (boundary: half chi2_1)",
               note="intra-class correlation 1 / (alpha + beta + 1): 0 = one common share"),
        record("beta_binomial", "sd_of_true_shares", bb["sd_true"], unit="proportion", **regions,
               method="sqrt(mu (1 - mu) rho) of the fitted Beta(alpha, beta)"),
        record("beta_binomial", "mean_share", bb["mu"], unit="proportion", **regions,
               method="alpha / (alpha + beta): the mean of the regions' true shares (each region counts once)"),
        record("funnel", "regions_flagged", int(res.units["flagged"].sum()), unit="regions", **regions,
               method=f"two-sided beta-binomial predictive mid-p, Holm across {k} regions at alpha = {p['alpha']}"),
        record("funnel", "smallest_predictive_p", float(res.units["predictive_p"].min()), unit="probability", **regions,
               method="two-sided beta-binomial predictive mid-p (the fit uses the same regions: conservative)",
               note=f"region {res.units.loc[res.units['predictive_p'].idxmin(), 'region_iso']}"),
        record("funnel", "regions_that_cannot_be_flagged", int((~res.units["can_flag_low"] | ~res.units["can_flag_high"]).sum()),
               unit="regions", **regions, method=f"at Holm's first cut, alpha / {k}: no share in [0, 1] would be flagged on one side"),
        record("funnel", "regions_outside_binomial_998", int(res.units["outside_binomial_998"].sum()), unit="regions",
               **regions, method="exact binomial 99.8% limits around one common share (Spiegelhalter 2005)",
               note="the model the chi-square rejects: shown only as the no-spread reference"),
        record("morans_i", "inclusive_share", m["I"], unit="index", p_value=m["p_permutation"], p_mcse=m["p_permutation_se"],
               resamples=m["n_permutations"], **regions,
               method=f"Moran's I, row-standardised queen contiguity (data/raw/region_adjacency.csv); two-sided "
                      f"permutation p; E[I] = {m['expected']:.4f}",
               note="do neighbouring regions have similar shares? low power with 20 units"),
    ]
    for row in res.indices.itertuples():
        weighted = row.index.endswith("_weighted")
        rows.append(record(
            "disparity_index", row.index, row.estimate, unit="index", ci_low=row.ci_low, ci_high=row.ci_high,
            conf_level=level, ci_mcse=row.ci_mcse, resamples=p["n_resamples"], **regions,
            method=(f"{'weighted by preschools' if weighted else 'each region counts once'}; percentile interval from "
                    f"binomial resamples of each region's count (seed {p['seed']})"),
            note=f"bias (resampled mean - estimate) = {format_value(row.bias, {'significant': 2}, row.bias_mcse)}; "
                 "regions not resampled: they are the whole population"))
    rows.append(record("lorenz", "gini_from_lorenz_curve", res.lorenz_gini, unit="index", **regions,
                       method="1 - sum (X_k - X_k-1)(Y_k + Y_k-1), regions ordered by share",
                       note="equals the Gini weighted by preschools"))
    return rows


def region_rows(res) -> list[dict]:
    level = res.params["confidence"]
    rows = []
    for w, u, s in zip(res.wilson.itertuples(), res.units.itertuples(), res.shrunk.itertuples(), strict=True):
        one = {"subject": u.region_iso}
        rows.append(record("wilson_interval", "inclusive_share", w.share, unit="proportion", ci_low=w.ci_low,
                           ci_high=w.ci_high, conf_level=level, n=w.total, n_unit="preschools",
                           method="Wilson interval", **one))
        rows.append(record("shrinkage", "shrunk_share", s.shrunk_share, unit="proportion", ci_low=s.ci_low,
                           ci_high=s.ci_high, conf_level=level, n=w.total, n_unit="preschools",
                           method="empirical-Bayes posterior mean, Beta(alpha + y, beta + n - y); equal-tailed interval",
                           note=f"weight on the region's own share {s.weight_on_raw:.2f}", **one))
        rows.append(record("funnel", "z_binomial", u.z, unit="standard deviations", n=w.total, n_unit="preschools",
                           method="(share - national) / binomial SE", note="ignores the spread between regions", **one))
        rows.append(record("funnel", "predictive_p", u.predictive_p, unit="probability", p_value=u.predictive_p,
                           p_adjusted=u.p_holm, n=w.total, n_unit="preschools",
                           method="two-sided beta-binomial predictive mid-p; Holm across regions",
                           note="flagged" if u.flagged else "", **one))
        for side in ("low", "high"):
            share = getattr(u, f"flag_{side}_share")
            rows.append(record("flag_threshold", f"share_{side}", share, unit="proportion", n=w.total,
                               n_unit="preschools", method=f"the share at or {'below' if side == 'low' else 'above'} "
                                                           "which the region would be flagged at Holm's first cut",
                               note="" if getattr(u, f"can_flag_{side}") else "cannot be flagged on this side", **one))
    return rows
