"""Notebook 40: regional disparity of the share of public preschools with inclusive conditions.

:func:`analyse` runs every step on Table 1 and returns a :class:`RegionalResults`; its
:meth:`~RegionalResults.tidy` and :meth:`~RegionalResults.region_table` give the stored tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests

from analysis.precision import format_value
from analysis.stats import disparity, funnel, inequality
from analysis.stats.tidy import frame, record

#: Group labels of the Theil split.
CITY, OTHER = "city", "region"


@dataclass
class RegionalResults:
    data: pd.DataFrame
    national: dict
    chi2: dict
    wilson: pd.DataFrame
    units: pd.DataFrame
    overdispersion: dict
    curve: pd.DataFrame
    indices: pd.DataFrame
    lorenz: pd.DataFrame
    lorenz_gini: float
    #: What the tests cannot show, in numbers: the smallest significant V, Holm's first threshold.
    limits: dict = field(default_factory=dict)
    #: Cities against the other regions; the regions below the national share.
    groups: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)

    # -- stored tables ---------------------------------------------------------------------------
    def tidy(self) -> pd.DataFrame:
        p = self.params
        n_regions, n_pre = len(self.data), int(self.data["preschools_total"].sum())
        c = self.chi2
        od = self.overdispersion
        conf = f"{p['confidence'] * 100:g}%"
        level = p["confidence"]
        rows = [
            record("national_share", "inclusive_share", self.national["share"], unit="proportion",
                   ci_low=self.national["ci_low"], ci_high=self.national["ci_high"], conf_level=level, n=n_pre, method=f"Wilson {conf} (statsmodels proportion_confint)",
                   note="sum of the 20 regions; a census, so the interval is the superpopulation view"),
            record("chi2_homogeneity", "chi2", c["statistic"], unit="statistic", p_value=c["p_value"], n=c["n"],
                   method=f"Pearson chi-square, {c['groups']} regions x 2, df = {c['dof']} (scipy chi2_contingency)",
                   note=f"smallest expected count {c['min_expected']:.1f}; with n = {c['n']} preschools even small "
                        "differences are significant: read V"),
            record("chi2_homogeneity", "cramers_v", c["cramers_v"], unit="index", n=c["n"], method="Cramér's V",
                   note="0 = same share everywhere; 1 = complete separation"),
            record("chi2_homogeneity", "cramers_v_bias_corrected", c["cramers_v_corrected"], unit="index", n=c["n"],
                   method="bias-corrected Cramér's V (Bergsma 2013)"),
            record("overdispersion", "phi", od["phi"], unit="ratio", p_value=od["p_value"], n=n_regions,
                   method=f"winsorised z-scores ({od['winsorised_each_end']} at each end), phi = mean z^2, "
                          f"{n_regions} phi ~ chi2 on {od['dof']} df (Spiegelhalter 2005)",
                   note="phi = 1 means binomial variation only"),
            record("overdispersion", "tau", np.sqrt(od["tau2"]), unit="proportion", n=n_regions,
                   method="additive random-effects SD of the true regional shares (DerSimonian-Laird type, "
                          "Spiegelhalter 2005)",
                   note="between-region SD of the share on the proportion scale"),
        ]
        for row in self.indices.itertuples():
            weighted = row.index.endswith("_weighted")
            rows.append(record(
                "disparity_index", row.index, row.estimate, unit="index", ci_low=row.ci_low, ci_high=row.ci_high,
                conf_level=level, ci_mcse=row.ci_mcse, n=n_regions, resamples=p["n_resamples"],
                method=(f"{'weighted by preschools' if weighted else 'each region counts once'}; "
                        f"percentile interval from binomial resamples of each region's count (seed {p['seed']})"),
                note=f"bias (resampled mean - estimate) = {format_value(row.bias, {'significant': 2}, row.bias_mcse)}; "
                     "regions not resampled: they are the whole population"))
        rows.append(record("lorenz", "gini_from_lorenz_curve", self.lorenz_gini, unit="index", n=n_regions,
                           method="1 - sum (X_k - X_k-1)(Y_k + Y_k-1), regions ordered by share",
                           note="equals the Gini weighted by preschools"))
        flagged = int(self.units["flagged"].sum())
        rows.append(record("funnel", "regions_flagged", flagged, unit="regions", n=n_regions,
                           method=f"overdispersion-adjusted z, two-sided, Holm across {n_regions} regions at "
                                  f"alpha = {p['alpha']}"))
        for col, label in (("outside_exact_95", "regions_outside_exact_95"), ("outside_exact_998", "regions_outside_exact_998"),
                           ("outside_phi_998", "regions_outside_phi_widened_998"),
                           ("outside_tau_998", "regions_outside_tau_widened_998")):
            rows.append(record("funnel", label, int(self.units[col].sum()), unit="regions", n=n_regions,
                               method="exact binomial limits (Spiegelhalter 2005 interpolation)" if "exact" in col
                               else "normal limits widened for overdispersion"))
        return frame(rows)

    def region_table(self) -> pd.DataFrame:
        """One tidy row per region and statistic: Wilson interval, funnel z-scores and flags."""
        conf = f"{self.params['confidence'] * 100:g}%"
        level = self.params["confidence"]
        rows = []
        for w, u, (_, d) in zip(self.wilson.itertuples(), self.units.itertuples(), self.data.iterrows(), strict=True):
            region = d["region_iso"]
            rows.append(record("wilson_interval", "inclusive_share", w.share, subject=region, unit="proportion",
                               ci_low=w.ci_low, ci_high=w.ci_high, conf_level=level, n=w.total, method=f"Wilson {conf}"))
            rows.append(record("funnel", "z", u.z, subject=region, unit="standard deviations", p_value=u.p_value_unadjusted_z,
                               p_adjusted=u.p_unadjusted_z_holm, n=w.total,
                               method="z = (share - national) / binomial SE, two-sided normal p; Holm across regions",
                               note="ignores overdispersion"))
            rows.append(record("funnel", "z_overdispersion_adjusted", u.z_adjusted, subject=region,
                               unit="standard deviations", p_value=u.p_value,
                               p_adjusted=u.p_adjusted, n=w.total,
                               method=f"z / sqrt(phi), phi = {self.overdispersion['phi']:.4g}; Holm across regions",
                               note="flagged" if u.flagged else ""))
            rows.append(record("funnel", "z_random_effects", u.z_random_effects, subject=region, unit="standard deviations",
                               p_value=u.p_random_effects, p_adjusted=u.p_random_effects_adjusted, n=w.total,
                               method="(share - national) / sqrt(SE^2 + tau^2); Holm across regions (sensitivity)"))
        return frame(rows)


def analyse(inclusion: pd.DataFrame, regions: pd.DataFrame, *, seed: int, n_resamples: int,
            confidence: float = 0.95, alpha: float = 0.05, winsor_fraction: float = 0.1,
            grid_points: int = 400) -> RegionalResults:
    data = inclusion.merge(regions[["region_iso", "type"]], on="region_iso", how="left", validate="one_to_one")
    if data["type"].isna().any():
        raise ValueError("regions without a type: " + ", ".join(data.loc[data["type"].isna(), "region_iso"]))
    y = data["preschools_inclusive"].to_numpy()
    n = data["preschools_total"].to_numpy()
    nat = disparity.wilson_intervals([y.sum()], [n.sum()], confidence).iloc[0]
    p0 = float(nat["share"])
    wilson = disparity.wilson_intervals(y, n, confidence)
    units, od = funnel.funnel_units(y / n, funnel.binomial_se(p0, n), p0, winsor_fraction, alpha)
    units.insert(0, "region_iso", data["region_iso"].to_numpy())
    units.insert(1, "size", n)
    units["p_value_unadjusted_z"] = 2 * norm.sf(np.abs(units["z"]))
    units["p_unadjusted_z_holm"] = multipletests(units["p_value_unadjusted_z"], alpha=alpha, method="holm")[1]
    for cov in (0.95, 0.998):
        tag = funnel._tag(cov)
        lo, hi = funnel.LEVELS[cov]
        units[f"outside_exact_{tag}"] = funnel.outside(y / n, funnel.binomial_limit(p0, n, lo), funnel.binomial_limit(p0, n, hi))
    se = funnel.binomial_se(p0, n)
    units["outside_phi_998"] = funnel.outside(y / n, *funnel.widened_limits(p0, se, 0.998, phi=od["phi"]))
    units["outside_tau_998"] = funnel.outside(y / n, *funnel.widened_limits(p0, se, 0.998, tau2=od["tau2"]))
    sizes = np.unique(np.round(np.linspace(max(10, n.min() * 0.5), n.max() * 1.1, grid_points)))
    curve = funnel.binomial_funnel(p0, sizes, od["phi"], od["tau2"])
    groups = np.where(data["type"] == "city", CITY, OTHER)
    rng = np.random.default_rng(seed)
    indices = inequality.resampled_intervals(y, n, groups, n_resamples, rng, confidence)
    lorenz = inequality.lorenz_curve(n, y)
    lorenz.insert(1, "region_iso", ["" if o < 0 else data["region_iso"].iloc[o] for o in lorenz["order"]])
    chi2 = disparity.chi2_homogeneity(y, n)
    holm_first = alpha / len(data)
    limits = {"v_min": disparity.smallest_significant_v(chi2["n"], chi2["dof"], chi2["groups"], 2, alpha),
              "holm_first": holm_first, "z_first": float(norm.ppf(1 - holm_first / 2)),
              "tau_pp": 100 * float(np.sqrt(od["tau2"]))}
    city = (data["type"] == "city").to_numpy()
    below = y / n < p0
    groups = {"city_share": y[city].sum() / n[city].sum(), "region_share": y[~city].sum() / n[~city].sum(),
              "n_below": int(below.sum()), "below_preschools": n[below].sum() / n.sum(),
              "below_inclusive": y[below].sum() / y.sum()}
    return RegionalResults(
        data=data, national={"share": p0, "ci_low": float(nat["ci_low"]), "ci_high": float(nat["ci_high"]),
                             "inclusive": int(y.sum()), "total": int(n.sum())},
        chi2=chi2, wilson=wilson, units=units, overdispersion=od, curve=curve,
        indices=indices, lorenz=lorenz, lorenz_gini=inequality.lorenz_gini(lorenz), limits=limits, groups=groups,
        params={"seed": seed, "n_resamples": n_resamples, "confidence": confidence, "alpha": alpha,
                "winsor_fraction": winsor_fraction})
