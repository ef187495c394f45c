"""Teacher shortage by region (Table 2) against preschool inclusion (Table 1).

Scope: Table 1 counts public (state) preschools and the children with SEN in them; Table 2's
shortage covers state and private preschools. Ratios to Table 1's denominators are therefore
given twice: with the total shortage (as the brief asks, scope mismatch noted) and with the
state-preschool shortage (matched scope). The shortage is a count of posts or persons needed,
not of independent events: Poisson funnel limits and chi-square tests on it are yardsticks of
how far the regions differ beyond count noise, not models of how shortages arise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.stats import association, disparity, funnel, inequality
from analysis.stats.montecarlo import proportion_mcse
from analysis.stats.tidy import frame, record

#: Ratios of notebook 41: name -> (numerator, denominator, multiplier).
RATIOS = {
    "shortage_per_100_sen": ("shortage_total", "sen_children", 100),
    "state_shortage_per_100_sen": ("shortage_state", "sen_children", 100),
    "shortage_per_inclusive": ("shortage_total", "preschools_inclusive", 1),
    "state_shortage_per_inclusive": ("shortage_state", "preschools_inclusive", 1),
}
#: The unit of each ratio (the ``unit`` column of the tidy tables).
RATIO_UNITS = {
    "shortage_per_100_sen": "persons per 100 children with SEN",
    "state_shortage_per_100_sen": "persons per 100 children with SEN",
    "shortage_per_inclusive": "persons per preschool with inclusive conditions",
    "state_shortage_per_inclusive": "persons per preschool with inclusive conditions",
}


def join(shortage: pd.DataFrame, inclusion: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Table 2 joined to Table 1 and the region type by ``region_iso`` (all 20 must match)."""
    keep_short = ["region_iso", "shortage_total", "shortage_urban", "shortage_rural", "shortage_state", "shortage_private"]
    keep_incl = ["region_iso", "preschools_total", "preschools_inclusive", "sen_children"]
    out = (shortage[keep_short].merge(inclusion[keep_incl], on="region_iso", how="outer", validate="one_to_one",
                                      indicator=True)
           .merge(regions[["region_iso", "type"]], on="region_iso", how="left", validate="many_to_one"))
    unmatched = out.loc[out["_merge"] != "both", "region_iso"].tolist()
    if unmatched:
        raise ValueError(f"regions in only one of the two tables: {unmatched}")
    return out.drop(columns="_merge").reset_index(drop=True)


def add_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["inclusive_share"] = out["preschools_inclusive"] / out["preschools_total"]
    out["sen_per_preschool"] = out["sen_children"] / out["preschools_total"]
    for name, (num, den, mult) in RATIOS.items():
        out[name] = mult * out[num] / out[den]
    out["urban_share"] = out["shortage_urban"] / out["shortage_total"]
    out["private_share"] = out["shortage_private"] / out["shortage_total"]
    return out


def ratio_funnel(frame: pd.DataFrame, ratio: str, fraction: float = 0.1, alpha: float = 0.05):
    """Funnel-type comparison of a ratio: national rate, per-region z (Poisson), phi, Holm flags."""
    num, den, mult = RATIOS[ratio]
    counts = frame[num].to_numpy(dtype=float)
    exposure = frame[den].to_numpy(dtype=float) / mult
    rate = counts.sum() / exposure.sum()
    units, od = funnel.funnel_units(counts / exposure, funnel.poisson_se(rate, exposure), rate, fraction, alpha)
    units.insert(0, "region_iso", frame["region_iso"].to_numpy())
    units.insert(1, "exposure", exposure)
    units.insert(2, "count", counts)
    units["outside_exact_998"] = funnel.outside(units["estimate"], funnel.poisson_limit(rate, exposure, 0.001),
                                                funnel.poisson_limit(rate, exposure, 0.999))
    return rate, units, od


def split_tests(frame: pd.DataFrame) -> dict:
    """Urban/rural and state/private splits of the shortage: national shares, regional chi-square.

    Cities of republican significance have no rural areas (rural shortage is 0 by definition), so
    the urban/rural homogeneity test is run on the other regions only.
    """
    national = {}
    for name, part in (("urban", "shortage_urban"), ("private", "shortage_private")):
        ci = disparity.wilson_intervals([frame[part].sum()], [frame["shortage_total"].sum()])
        national[name] = ci.iloc[0].to_dict()
    regions_only = frame[frame["type"] != "city"]
    return {
        "national": national,
        "urban_rural": disparity.chi2_homogeneity(regions_only["shortage_urban"], regions_only["shortage_total"]),
        "urban_rural_excluded": frame.loc[frame["type"] == "city", "region_iso"].tolist(),
        "state_private": disparity.chi2_homogeneity(frame["shortage_private"], frame["shortage_total"]),
    }


def concentration(frame: pd.DataFrame, top: tuple[int, ...] = (3, 5)) -> pd.DataFrame:
    """Share of the shortage in the regions with the largest shortage, beside their share of
    children with SEN and of public preschools."""
    ordered = frame.sort_values(["shortage_total", "region_iso"], ascending=[False, True])
    rows = []
    for k in top:
        head = ordered.head(k)
        rows.append({"top": k, "regions": ";".join(head["region_iso"]),
                     "shortage_share": head["shortage_total"].sum() / frame["shortage_total"].sum(),
                     "sen_share": head["sen_children"].sum() / frame["sen_children"].sum(),
                     "preschool_share": head["preschools_total"].sum() / frame["preschools_total"].sum()})
    return pd.DataFrame(rows)


def lorenz_curves(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Lorenz curves of the shortage against regions (equal weight), children with SEN, preschools."""
    shortage = frame["shortage_total"].to_numpy(dtype=float)
    bases = {"regions": np.ones(len(frame)), "sen_children": frame["sen_children"].to_numpy(dtype=float),
             "preschools_total": frame["preschools_total"].to_numpy(dtype=float)}
    return {name: inequality.lorenz_curve(base, shortage) for name, base in bases.items()}


# -- notebook 41 as a whole ------------------------------------------------------------------------

#: Spearman correlations whose power at the available n is stated.
POWER_RHOS = (0.3, 0.5, 0.7)


@dataclass
class ShortageResults:
    data: pd.DataFrame
    funnels: dict
    splits: dict
    concentration: pd.DataFrame
    lorenz: dict
    lorenz_gini: dict
    associations: pd.DataFrame
    power: pd.DataFrame
    params: dict = field(default_factory=dict)

    def tidy(self) -> pd.DataFrame:
        p = self.params
        n_regions = len(self.data)
        rows = []
        for ratio, f in self.funnels.items():
            num, den, mult = RATIOS[ratio]
            od = f["overdispersion"]
            rows.append(record("ratio_national", ratio, f["rate"], unit=RATIO_UNITS[ratio], n=n_regions,
                               method=f"sum of {num} / sum of {den} x {mult}",
                               note=("scope matched: state shortage over public-preschool denominators" if "state" in ratio
                                     else "scope mismatch: shortage includes private preschools, the denominator does not")))
            rows.append(record("overdispersion", f"phi_{ratio}", od["phi"], unit="ratio", p_value=od["p_value"], n=n_regions,
                               method=f"Poisson z-scores winsorised ({od['winsorised_each_end']} at each end); "
                                      f"{n_regions} phi ~ chi2 on {od['dof']} df",
                               note="phi far above 1: Poisson limits are no yardstick for these ratios"))
            rows.append(record("funnel", f"regions_flagged_{ratio}", int(f["units"]["flagged"].sum()), unit="regions",
                               n=n_regions,
                               method="overdispersion-adjusted z, Holm across regions"))
            rows.append(record("funnel", f"regions_outside_exact_998_{ratio}", int(f["units"]["outside_exact_998"].sum()),
                               unit="regions", n=n_regions, method="exact Poisson 99.8% limits (Spiegelhalter 2005 interpolation)"))
        s = self.splits
        for name, label in (("urban", "urban_share"), ("private", "private_share")):
            nat = s["national"][name]
            rows.append(record("national_split", label, nat["share"], unit="proportion", ci_low=nat["ci_low"],
                               ci_high=nat["ci_high"], conf_level=p["confidence"], n=int(nat["total"]), method=f"Wilson {p['confidence'] * 100:g}%",
                               note="persons short are not independent trials: the interval is nominal"))
        for key, label, note in (("urban_rural", "urban_rural_homogeneity",
                                  "cities excluded (no rural areas): " + ";".join(s["urban_rural_excluded"])),
                                 ("state_private", "state_private_homogeneity", "all regions")):
            c = s[key]
            rows.append(record("chi2_homogeneity", f"{label}_chi2", c["statistic"], unit="statistic",
                               p_value=c["p_value"], n=c["n"],
                               method=f"Pearson chi-square, {c['groups']} regions x 2, df = {c['dof']}",
                               note=f"{note}; smallest expected count {c['min_expected']:.1f}; persons are not "
                                    "independent units: read V"))
            rows.append(record("chi2_homogeneity", f"{label}_cramers_v", c["cramers_v"], unit="index", n=c["n"],
                               method="Cramér's V"))
            rows.append(record("chi2_homogeneity", f"{label}_cramers_v_bias_corrected", c["cramers_v_corrected"],
                               unit="index", n=c["n"],
                               method="bias-corrected Cramér's V (Bergsma 2013)"))
        for row in self.concentration.itertuples():
            rows.append(record("concentration", f"top{row.top}_share_of_shortage", row.shortage_share, unit="proportion",
                               n=n_regions,
                               method=f"regions with the {row.top} largest shortages: {row.regions}",
                               note=f"the same regions hold {row.sen_share:.1%} of children with SEN and "
                                    f"{row.preschool_share:.1%} of public preschools"))
        for name, gini in self.lorenz_gini.items():
            rows.append(record("concentration", f"gini_shortage_vs_{name}", gini, unit="index", n=n_regions,
                               method="Gini from the Lorenz curve of the shortage against " + name.replace("_", " ")))
        for row in self.associations.itertuples():
            rows.append(record("spearman", row.key, row.rho, unit="correlation", ci_low=row.ci_low, ci_high=row.ci_high,
                               conf_level=p["confidence"], ci_mcse=row.ci_mcse, p_value=row.p_value, p_mcse=row.p_mcse,
                               p_adjusted=row.p_holm, n=row.n, resamples=p["n_permutations"],
                               method=(f"Spearman's rho; permutation p (resamples = permutations, smallest "
                                       f"possible {row.smallest_p:.2g}); paired BCa bootstrap "
                                       f"({p['n_bootstrap']} resamples); Holm across {len(self.associations)}; seed {p['seed']}"),
                               note=f"shared term: {row.shared_term}; region-level only (ecological fallacy)"))
        for row in self.power.itertuples():
            rows.append(record("power", row.quantity, row.estimate, unit="probability" if row.quantity.startswith("power")
                               else "correlation", estimate_mcse=row.mcse, resamples=row.resamples, n=row.n,
                               method=row.method, note=row.note))
        return frame(rows)

    def region_table(self) -> pd.DataFrame:
        rows = []
        for ratio, f in self.funnels.items():
            for u in f["units"].itertuples():
                rows.append(record("ratio", ratio, u.estimate, subject=u.region_iso, unit=RATIO_UNITS[ratio], n=int(u.count),
                                   method=" / ".join(RATIOS[ratio][:2]) + f" x {RATIOS[ratio][2]}"))
                rows.append(record("funnel", f"z_overdispersion_adjusted_{ratio}", u.z_adjusted, subject=u.region_iso,
                                   unit="standard deviations",
                                   p_value=u.p_value, p_adjusted=u.p_adjusted, n=int(u.count),
                                   method=f"Poisson z / sqrt(phi), phi = {f['overdispersion']['phi']:.4g}; Holm across regions",
                                   note="flagged" if u.flagged else ""))
        for r in self.data.itertuples():
            for col in ("urban_share", "private_share"):
                rows.append(record("split", col, getattr(r, col), subject=r.region_iso, unit="proportion", n=r.shortage_total,
                                   method=f"shortage_{col.split('_')[0]} / shortage_total",
                                   note="no rural areas" if col == "urban_share" and r.type == "city" else ""))
        return frame(rows)


def power_table(n: int, alpha: float, n_tests: int, rng: np.random.Generator, n_sims: int = 4000) -> pd.DataFrame:
    """Power of a two-sided Spearman test at ``n``: analytic, the smallest detectable rho, and a
    simulation check at rho = 0.5."""
    rows = []
    for a, label in ((alpha, f"alpha = {alpha:g}"), (alpha / n_tests, f"alpha = {alpha:g}/{n_tests} (Holm's first step)")):
        for rho in POWER_RHOS:
            rows.append({"quantity": f"power_rho_{rho:g}_alpha_{a:.4g}", "estimate": association.power_spearman(rho, n, a),
                         "mcse": None, "resamples": None, "n": n, "method": f"Fisher z with Bonett-Wright SD, two-sided, {label}",
                         "note": f"probability of detecting a true rho_s of {rho:g} with {n} regions"})
        rows.append({"quantity": f"detectable_rho_80pct_alpha_{a:.4g}", "estimate": association.detectable_rho(n, a),
                     "mcse": None, "resamples": None, "n": n, "method": f"smallest |rho_s| detected with 80% power, {label}",
                     "note": "weaker associations are likely to be missed"})
    simulated = association.simulated_power(0.5, n, alpha, n_sims, rng)
    rows.append({"quantity": f"power_rho_0.5_alpha_{alpha:g}_simulated", "estimate": simulated,
                 "mcse": proportion_mcse(simulated, n_sims), "resamples": n_sims, "n": n,
                 "method": f"simulation, {n_sims} bivariate normal samples, simulated null critical value",
                 "note": "check of the analytic power"})
    return pd.DataFrame(rows)


def analyse(shortage: pd.DataFrame, inclusion: pd.DataFrame, regions: pd.DataFrame, *, seed: int,
            n_permutations: int, n_bootstrap: int, confidence: float = 0.95, alpha: float = 0.05,
            winsor_fraction: float = 0.1, grid_points: int = 300) -> ShortageResults:
    data = add_ratios(join(shortage, inclusion, regions))
    funnels = {}
    for ratio in RATIOS:
        rate, units, od = ratio_funnel(data, ratio, winsor_fraction, alpha)
        exposure = units["exposure"].to_numpy()
        grid = np.unique(np.linspace(max(exposure.min() * 0.5, 1e-3), exposure.max() * 1.1, grid_points))
        funnels[ratio] = {"rate": rate, "units": units, "overdispersion": od,
                          "curve": funnel.poisson_funnel(rate, grid, od["phi"])}
    rng = np.random.default_rng(seed)
    assoc = []
    for a in association.PLANNED_ASSOCIATIONS:
        res = association.spearman_test(data[a.x], data[a.y], n_permutations, n_bootstrap, rng, confidence)
        assoc.append({"key": a.key, "x": a.x, "y": a.y, "question": a.question, "shared_term": a.shared_term, **res})
    assoc = pd.DataFrame(assoc)
    assoc["p_holm"] = association.holm(assoc["p_value"], alpha)
    curves = lorenz_curves(data)
    for curve in curves.values():
        curve.insert(1, "region_iso", ["" if o < 0 else data["region_iso"].iloc[o] for o in curve["order"]])
    return ShortageResults(
        data=data, funnels=funnels, splits=split_tests(data), concentration=concentration(data), lorenz=curves,
        lorenz_gini={k: inequality.lorenz_gini(v) for k, v in curves.items()}, associations=assoc,
        power=power_table(len(data), alpha, len(association.PLANNED_ASSOCIATIONS), rng),
        params={"seed": seed, "n_permutations": n_permutations, "n_bootstrap": n_bootstrap,
                "confidence": confidence, "alpha": alpha})
