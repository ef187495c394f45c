"""Notebook 40: regional disparity of the share of public preschools with inclusive conditions.

:func:`analyse` runs every step on Table 1 and returns a :class:`RegionalResults`; its tidy
tables are built by :func:`national_rows` and :func:`region_rows`.

Table 1 is a census: every public preschool of every region. Tests and intervals answer a
superpopulation question: how much more the regions vary than a chance process around one
common share would make them, and which region is unusual given the spread of the others.

1. Chi-square test of homogeneity with Cramér's V. Its statistic is the sum of the squared
   binomial z-scores, so it and the dispersion factor phi = chi2 / k are one piece of evidence:
   the regions vary far more than one common share allows. The binomial model it tests is rejected
   by its own statistic, so its p-value says only that.
2. Beta-binomial model (:mod:`analysis.stats.betabinom`): the spread of the true regional shares
   (ICC, SD), funnel limits from its predictive distribution (always within [0, 100] %), each
   region's predictive p with Holm's correction, the share beyond which each region would be
   flagged, and the empirical-Bayes shrunken shares.
3. Disparity indices with intervals from resampling each region's count from its own binomial
   (counts within regions are resampled, never the regions).
4. Moran's I: do neighbouring regions have similar shares?
5. Sensitivity: without the three cities, weighted by children with SEN, on the logit scale.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests

from analysis.precision import format_value
from analysis.stats import betabinom, disparity, funnel, inequality, spatial
from analysis.stats.tidy import frame, record

#: Group labels of the Theil split.
CITY, OTHER = "city", "region"


@dataclass
class RegionalResults:
    data: pd.DataFrame
    national: dict
    chi2: dict
    wilson: pd.DataFrame
    bb: dict
    units: pd.DataFrame
    shrunk: pd.DataFrame
    curve: pd.DataFrame
    indices: pd.DataFrame
    lorenz: pd.DataFrame
    lorenz_gini: float
    moran: dict
    sensitivity: pd.DataFrame
    #: What the tests cannot show, in numbers: the smallest significant V, Holm's first threshold.
    limits: dict = field(default_factory=dict)
    #: Cities against the other regions; the regions below the national share.
    groups: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    def tidy(self) -> pd.DataFrame:
        return frame(national_rows(self))

    def region_table(self) -> pd.DataFrame:
        return frame(region_rows(self))


def units_table(data: pd.DataFrame, bb: dict, alpha: float) -> pd.DataFrame:
    """Per region: binomial z, beta-binomial predictive p, Holm-adjusted, flag, and the shares
    beyond which the region would be flagged at Holm's first cut (alpha / k)."""
    y = data["preschools_inclusive"].to_numpy()
    n = data["preschools_total"].to_numpy()
    p0 = y.sum() / n.sum()
    p = betabinom.predictive_p(y, n, bb)
    reject, p_adj, _, _ = multipletests(p, alpha=alpha, method="holm")
    thresholds = betabinom.flag_thresholds(n, bb, alpha / len(y))
    return pd.DataFrame({
        "region_iso": data["region_iso"].to_numpy(), "size": n, "share": y / n,
        "z": (y / n - p0) / funnel.binomial_se(p0, n), "predictive_p": p, "p_holm": p_adj, "flagged": reject,
        "flag_low_share": thresholds["low_share"].to_numpy(), "flag_high_share": thresholds["high_share"].to_numpy(),
        "can_flag_low": thresholds["can_flag_low"].to_numpy(), "can_flag_high": thresholds["can_flag_high"].to_numpy(),
        "outside_binomial_998": funnel.outside(y / n, funnel.binomial_limit(p0, n, 0.001),
                                               funnel.binomial_limit(p0, n, 0.999)),
    })


def _key_statistics(y, n, groups, weights_matrix, sen=None) -> dict:
    """The statistics the sensitivity table repeats on a subset or with other weights."""
    bb = betabinom.fit(y, n)
    chi2 = disparity.chi2_homogeneity(y, n)
    shares = y / n
    out = {"bb_rho": bb["rho"], "sd_true_pp": 100 * bb["sd_true"], "cramers_v": chi2["cramers_v"],
           "gini_unweighted": float(inequality.gini(shares)), "gini_weighted_preschools": float(inequality.gini(shares, n)),
           "flagged_holm": int(multipletests(betabinom.predictive_p(y, n, bb), method="holm")[0].sum())}
    if sen is not None:
        out["gini_weighted_sen_children"] = float(inequality.gini(shares, sen))
        out["share_seen_by_sen_child_pct"] = 100 * float(np.sum(sen * shares) / np.sum(sen))
    if weights_matrix is not None:
        out["morans_i"] = spatial.morans_i(shares, weights_matrix)
    return out


def sensitivity(data: pd.DataFrame, pairs: list[tuple[str, str]]) -> pd.DataFrame:
    """Key statistics on all regions, without the three cities, weighted by children with SEN, and
    on the logit scale (random effects), one row per number."""
    rows = []
    codes = list(data["region_iso"])
    y, n = data["preschools_inclusive"].to_numpy(), data["preschools_total"].to_numpy()
    sen = data["sen_children"].to_numpy(dtype=float)
    keep = (data["type"] != "city").to_numpy()
    kept_codes = [c for c, k in zip(codes, keep, strict=True) if k]
    kept_pairs = [(a, b) for a, b in pairs if a in kept_codes and b in kept_codes]
    for analysis, mask, w, label in (
            ("all_regions", np.ones(len(y), bool), spatial.weights(pairs, codes), "all 20 units"),
            ("without_cities", keep, spatial.weights(kept_pairs, kept_codes), "the 17 regions, the three cities left out")):
        stats = _key_statistics(y[mask], n[mask], None, w, sen[mask])
        rows += [{"analysis": analysis, "quantity": k, "estimate": v, "n": int(mask.sum()), "note": label}
                 for k, v in stats.items()]
    logit = funnel.logit_random_effects(y, n)
    for k in ("tau", "i2", "pooled_share", "outside"):
        rows.append({"analysis": "logit_scale", "quantity": f"logit_{k}", "estimate": float(logit[k]), "n": len(y),
                     "note": "DerSimonian-Laird random effects on logit shares; outside = units beyond 99.8% limits"})
    return pd.DataFrame(rows)


def analyse(inclusion: pd.DataFrame, regions: pd.DataFrame, adjacency: pd.DataFrame, *, seed: int,
            n_resamples: int, confidence: float = 0.95, alpha: float = 0.05, grid_points: int = 300) -> RegionalResults:
    data = inclusion.merge(regions[["region_iso", "type"]], on="region_iso", how="left", validate="one_to_one")
    if data["type"].isna().any():
        raise ValueError("regions without a type: " + ", ".join(data.loc[data["type"].isna(), "region_iso"]))
    y = data["preschools_inclusive"].to_numpy()
    n = data["preschools_total"].to_numpy()
    nat = disparity.wilson_intervals([y.sum()], [n.sum()], confidence).iloc[0]
    p0 = float(nat["share"])
    bb = betabinom.fit(y, n)
    units = units_table(data, bb, alpha)
    sizes = np.unique(np.round(np.linspace(max(10, n.min() * 0.5), n.max() * 1.1, grid_points)))
    rng = np.random.default_rng(seed)
    groups_of = np.where(data["type"] == "city", CITY, OTHER)
    lorenz = inequality.lorenz_curve(n, y)
    lorenz.insert(1, "region_iso", ["" if o < 0 else data["region_iso"].iloc[o] for o in lorenz["order"]])
    pairs = list(zip(adjacency["region_iso_a"], adjacency["region_iso_b"], strict=True))
    moran = spatial.moran_test(y / n, spatial.weights(pairs, list(data["region_iso"])), 99_999, rng)
    chi2 = disparity.chi2_homogeneity(y, n)
    holm_first = alpha / len(data)
    limits = {"v_min": disparity.smallest_significant_v(chi2["n"], chi2["dof"], chi2["groups"], 2, alpha),
              "holm_first": holm_first, "z_first": float(norm.ppf(1 - holm_first / 2))}
    city = (data["type"] == "city").to_numpy()
    below = y / n < p0
    groups = {"city_share": y[city].sum() / n[city].sum(), "region_share": y[~city].sum() / n[~city].sum(),
              "n_below": int(below.sum()), "below_preschools": n[below].sum() / n.sum(),
              "below_inclusive": y[below].sum() / y.sum()}
    return RegionalResults(
        data=data, national={"share": p0, "ci_low": float(nat["ci_low"]), "ci_high": float(nat["ci_high"]),
                             "inclusive": int(y.sum()), "total": int(n.sum())},
        chi2=chi2, wilson=disparity.wilson_intervals(y, n, confidence), bb=bb, units=units,
        shrunk=betabinom.shrunken(y, n, bb, confidence).assign(region_iso=data["region_iso"].to_numpy(),
                                                              type=data["type"].to_numpy(), size=n),
        curve=funnel.funnel_curve(p0, sizes, bb),
        indices=inequality.resampled_intervals(y, n, groups_of, n_resamples, rng, confidence),
        lorenz=lorenz, lorenz_gini=inequality.lorenz_gini(lorenz), moran=moran, sensitivity=sensitivity(data, pairs),
        limits=limits, groups=groups,
        params={"seed": seed, "n_resamples": n_resamples, "confidence": confidence, "alpha": alpha,
                "n_pairs": len(pairs)})


# -- the tidy tables ----------------------------------------------------------------------------

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
