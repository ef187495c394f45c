"""Notebook 41: the teacher shortage by region (Table 2) against preschool inclusion (Table 1).

**Matched scope.** Table 1 counts public (state) preschools and the children with SEN in them;
Table 2's shortage covers state *and private* preschools, and 74% of it is in private
preschools. Every rate, concentration and Lorenz curve here therefore uses the state-preschool
shortage (``shortage_state``) against public-preschool denominators. The total shortage appears
only in a labelled scope note (:func:`scope_note`), which says how different the two pictures are.

The shortage is a count of posts or persons needed, not of independent events: its dispersion
relative to Poisson variation (phi, several hundred) is reported as a description of how unlike
counting noise the regional differences are, and no Poisson funnel limits are drawn from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.stats import association, disparity, funnel, inequality
from analysis.stats.tidy import frame, record

#: Ratios of notebook 41: name -> (numerator, denominator, multiplier, unit). Matched scope:
#: the state-preschool shortage over public-preschool denominators.
RATIOS = {
    "state_shortage_per_100_sen": ("shortage_state", "sen_children", 100, "persons per 100 children with SEN"),
    "state_shortage_per_inclusive": ("shortage_state", "preschools_inclusive", 1,
                                     "persons per preschool with inclusive conditions"),
    "sen_per_inclusive": ("sen_children", "preschools_inclusive", 1, "children with SEN per preschool with inclusive conditions"),
}
#: The same ratios with the total shortage: scope mismatch, for the scope note only.
MISMATCHED = {"shortage_per_100_sen": ("shortage_total", "sen_children", 100, "persons per 100 children with SEN"),
              "shortage_per_inclusive": ("shortage_total", "preschools_inclusive", 1,
                                         "persons per preschool with inclusive conditions")}


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


def add_ratios(data: pd.DataFrame) -> pd.DataFrame:
    out = data.copy()
    out["inclusive_share"] = out["preschools_inclusive"] / out["preschools_total"]
    out["sen_per_preschool"] = out["sen_children"] / out["preschools_total"]
    for name, (num, den, mult, _) in {**RATIOS, **MISMATCHED}.items():
        out[name] = mult * out[num] / out[den]
    out["urban_share"] = out["shortage_urban"] / out["shortage_total"]
    out["private_share"] = out["shortage_private"] / out["shortage_total"]
    return out


def dispersion(data: pd.DataFrame, ratio: str) -> dict:
    """The national rate and phi, the dispersion of the regional rates relative to Poisson counts."""
    num, den, mult, _ = RATIOS[ratio]
    counts = data[num].to_numpy(dtype=float)
    exposure = data[den].to_numpy(dtype=float) / mult
    rate = counts.sum() / exposure.sum()
    od = funnel.dispersion((counts / exposure - rate) / funnel.poisson_se(rate, exposure))
    return {"rate": rate, "phi": od["phi"], "statistic": od["statistic"], "dof": od["dof"], "p_value": od["p_value"]}


def split_tests(data: pd.DataFrame, confidence: float = 0.95) -> dict:
    """Urban/rural and state/private splits: national shares, regional chi-square.

    Cities of republican significance have no rural areas (their rural shortage is 0 by
    definition), so the urban/rural homogeneity test is run on the other regions only.
    """
    national = {}
    for name, part in (("urban", "shortage_urban"), ("private", "shortage_private")):
        ci = disparity.wilson_intervals([data[part].sum()], [data["shortage_total"].sum()], confidence)
        national[name] = ci.iloc[0].to_dict()
    regions_only = data[data["type"] != "city"]
    return {"national": national,
            "urban_rural": disparity.chi2_homogeneity(regions_only["shortage_urban"], regions_only["shortage_total"]),
            "urban_rural_excluded": data.loc[data["type"] == "city", "region_iso"].tolist(),
            "state_private": disparity.chi2_homogeneity(data["shortage_private"], data["shortage_total"])}


def concentration(data: pd.DataFrame, column: str = "shortage_state", top: tuple[int, ...] = (3, 5)) -> pd.DataFrame:
    """Share of ``column`` in the regions where it is largest, beside their share of children with
    SEN and of public preschools."""
    ordered = data.sort_values([column, "region_iso"], ascending=[False, True])
    rows = []
    for k in top:
        head = ordered.head(k)
        rows.append({"top": k, "regions": ";".join(head["region_iso"]), "column": column,
                     "amount": int(head[column].sum()), "total": int(data[column].sum()),
                     "shortage_share": head[column].sum() / data[column].sum(),
                     "sen_share": head["sen_children"].sum() / data["sen_children"].sum(),
                     "preschool_share": head["preschools_total"].sum() / data["preschools_total"].sum()})
    return pd.DataFrame(rows)


def lorenz_curves(data: pd.DataFrame, column: str = "shortage_state") -> dict[str, pd.DataFrame]:
    """Lorenz curves of ``column`` against regions (equal weight), children with SEN, preschools."""
    amount = data[column].to_numpy(dtype=float)
    bases = {"regions": np.ones(len(data)), "sen_children": data["sen_children"].to_numpy(dtype=float),
             "preschools_total": data["preschools_total"].to_numpy(dtype=float)}
    out = {}
    for name, base in bases.items():
        curve = inequality.lorenz_curve(base, amount)
        curve.insert(1, "region_iso", ["" if o < 0 else data["region_iso"].iloc[o] for o in curve["order"]])
        out[name] = curve
    return out


def scope_note(data: pd.DataFrame) -> dict:
    """How the total-shortage picture differs from the matched one: the private share, and the
    concentration and national rates with the total shortage."""
    top3_total = concentration(data, "shortage_total", (3,)).iloc[0]
    top3_state = concentration(data, "shortage_state", (3,)).iloc[0]
    return {"private_share": data["shortage_private"].sum() / data["shortage_total"].sum(),
            "private": int(data["shortage_private"].sum()), "total": int(data["shortage_total"].sum()),
            "state": int(data["shortage_state"].sum()),
            "top3_total_regions": top3_total["regions"], "top3_total_share": top3_total["shortage_share"],
            "top3_total_sen_share": top3_total["sen_share"],
            "same_regions_state_share": data.set_index("region_iso").loc[top3_total["regions"].split(";"),
                                                                        "shortage_state"].sum() / data["shortage_state"].sum(),
            "same_regions_state": int(data.set_index("region_iso").loc[top3_total["regions"].split(";"),
                                                                       "shortage_state"].sum()),
            "top3_state_regions": top3_state["regions"],
            "rates_total": {k: data[num].sum() * mult / data[den].sum() for k, (num, den, mult, _) in MISMATCHED.items()}}


def power_table(n: int, alpha: float, n_tests: int, rng: np.random.Generator, n_sims: int = 4000) -> pd.DataFrame:
    """Power of a two-sided Spearman test at ``n``: analytic, the smallest detectable rho, and a
    simulation check at rho = 0.5 (with its Monte-Carlo error)."""
    from analysis.stats.montecarlo import proportion_mcse

    rows = []
    for a, label in ((alpha, f"alpha = {alpha:g}"), (alpha / n_tests, f"alpha = {alpha:g}/{n_tests} (Holm's first step)")):
        for rho in (0.3, 0.5, 0.7):
            rows.append({"quantity": f"power_rho_{rho:g}_alpha_{a:.4g}", "estimate": association.power_spearman(rho, n, a),
                         "mcse": None, "resamples": None, "n": n, "unit": "probability",
                         "method": f"Fisher z with Bonett-Wright SD, two-sided, {label}",
                         "note": f"probability of detecting a true rho_s of {rho:g} with {n} regions"})
        rows.append({"quantity": f"detectable_rho_80pct_alpha_{a:.4g}", "estimate": association.detectable_rho(n, a),
                     "mcse": None, "resamples": None, "n": n, "unit": "correlation",
                     "method": f"smallest |rho_s| detected with 80% power, {label}",
                     "note": "weaker associations are likely to be missed"})
    simulated = association.simulated_power(0.5, n, alpha, n_sims, rng)
    rows.append({"quantity": f"power_rho_0.5_alpha_{alpha:g}_simulated", "estimate": simulated,
                 "mcse": proportion_mcse(simulated, n_sims), "resamples": n_sims, "n": n, "unit": "probability",
                 "method": "simulation, bivariate normal samples, simulated null critical value",
                 "note": "check of the analytic power"})
    return pd.DataFrame(rows)


@dataclass
class ShortageResults:
    data: pd.DataFrame
    dispersion: dict
    splits: dict
    concentration: pd.DataFrame
    lorenz: dict
    lorenz_gini: dict
    associations: pd.DataFrame
    power: pd.DataFrame
    moran: dict
    scope: dict
    params: dict = field(default_factory=dict)

    def tidy(self) -> pd.DataFrame:
        return frame(national_rows(self))

    def region_table(self) -> pd.DataFrame:
        rows = []
        for ratio, (num, den, mult, unit) in RATIOS.items():
            for r in self.data.itertuples():
                rows.append(record("ratio", ratio, getattr(r, ratio), subject=r.region_iso, unit=unit, n=1,
                                   n_unit="region", method=f"{num} / {den}" + (f" x {mult}" if mult != 1 else ""),
                                   note="matched scope: state preschools"))
        for r in self.data.itertuples():
            for col in ("urban_share", "private_share"):
                rows.append(record("split", col, getattr(r, col), subject=r.region_iso, unit="proportion",
                                   n=r.shortage_total, n_unit="persons", method=f"shortage_{col.split('_')[0]} / shortage_total",
                                   note="no rural areas" if col == "urban_share" and r.type == "city" else ""))
        return frame(rows)


def analyse(shortage: pd.DataFrame, inclusion: pd.DataFrame, regions: pd.DataFrame, adjacency: pd.DataFrame, *,
            seed: int, n_permutations: int, confidence: float = 0.95, alpha: float = 0.05) -> ShortageResults:
    from analysis.stats import spatial

    data = add_ratios(join(shortage, inclusion, regions))
    rng = np.random.default_rng(seed)
    assoc = pd.DataFrame([association.associate(data, a, n_permutations, rng, confidence)
                          for a in association.PLANNED_ASSOCIATIONS])
    assoc["p_holm"], assoc["p_holm_mcse"], assoc["decision"] = association.holm_with_mcse(
        assoc["p_value"], assoc["p_mcse"], alpha)
    curves = lorenz_curves(data)
    weights = spatial.weights(list(zip(adjacency["region_iso_a"], adjacency["region_iso_b"], strict=True)),
                              list(data["region_iso"]))
    moran = spatial.moran_test(data["state_shortage_per_100_sen"].to_numpy(dtype=float), weights, 99_999, rng)
    return ShortageResults(
        data=data, dispersion={r: dispersion(data, r) for r in RATIOS}, splits=split_tests(data, confidence),
        concentration=concentration(data), lorenz=curves,
        lorenz_gini={k: inequality.lorenz_gini(v) for k, v in curves.items()}, associations=assoc,
        power=power_table(len(data), alpha, len(association.PLANNED_ASSOCIATIONS), rng), moran=moran,
        scope=scope_note(data),
        params={"seed": seed, "n_permutations": n_permutations, "confidence": confidence, "alpha": alpha,
                "n_pairs": len(adjacency)})


# -- the tidy table -----------------------------------------------------------------------------



def national_rows(res) -> list[dict]:
    p = res.params
    n_regions = len(res.data)
    level = p["confidence"]
    rows = []
    for ratio, d in res.dispersion.items():
        num, den, mult, unit = RATIOS[ratio]
        rows.append(record("ratio_national", ratio, d["rate"], unit=unit, n=n_regions, n_unit="regions",
                           method=f"sum of {num} / sum of {den}" + (f" x {mult}" if mult != 1 else ""),
                           note="matched scope: state preschools, public-preschool denominators"))
        rows.append(record("dispersion", f"phi_{ratio}", d["phi"], unit="ratio", n=n_regions, n_unit="regions",
                           method="mean squared Poisson z-score of the regional rates (no winsorising)",
                           note="descriptive: phi far above 1 says the regions differ far beyond counting noise; "
                                "no Poisson limits are drawn from it"))
    s = res.splits
    for name, label in (("urban", "urban_share"), ("private", "private_share")):
        nat = s["national"][name]
        rows.append(record("national_split", label, nat["share"], unit="proportion", ci_low=nat["ci_low"],
                           ci_high=nat["ci_high"], conf_level=level, n=int(nat["total"]), n_unit="persons",
                           method="Wilson interval (statsmodels proportion_confint)",
                           note="persons short are not independent trials: the interval is nominal"))
    for key, label, note in (("urban_rural", "urban_rural_homogeneity",
                              "cities excluded (no rural areas): " + ";".join(s["urban_rural_excluded"])),
                             ("state_private", "state_private_homogeneity", "all regions")):
        c = s[key]
        rows.append(record("chi2_homogeneity", f"{label}_chi2", c["statistic"], unit="statistic", p_value=c["p_value"],
                           n=c["n"], n_unit="persons", method=f"Pearson chi-square, {c['groups']} regions x 2, df = {c['dof']}",
                           note=f"{note}; persons are not independent units: read V"))
        rows.append(record("chi2_homogeneity", f"{label}_cramers_v", c["cramers_v"], unit="index", n=c["n"],
                           n_unit="persons", method="Cramér's V"))
    for row in res.concentration.itertuples():
        rows.append(record("concentration", f"top{row.top}_share_of_state_shortage", row.shortage_share,
                           unit="proportion", n=n_regions, n_unit="regions",
                           method=f"regions with the {row.top} largest state-preschool shortages: {row.regions}",
                           note=f"the same regions hold {row.sen_share:.1%} of children with SEN and "
                                f"{row.preschool_share:.1%} of public preschools"))
    for name, gini in res.lorenz_gini.items():
        rows.append(record("concentration", f"gini_state_shortage_vs_{name}", gini, unit="index", n=n_regions,
                           n_unit="regions", method="Gini from the Lorenz curve of the state-preschool shortage against "
                                                    + name.replace("_", " ")))
    m = res.moran
    rows.append(record("morans_i", "state_shortage_per_100_sen", m["I"], unit="index", p_value=m["p_permutation"],
                       p_mcse=m["p_permutation_se"], n=n_regions, n_unit="regions", resamples=m["n_permutations"],
                       method=f"Moran's I, row-standardised queen contiguity (data/raw/region_adjacency.csv); "
                              f"two-sided permutation p; E[I] = {m['expected']:.4f}",
                       note="do neighbouring regions have similar rates? low power with 20 units"))
    for row in res.associations.itertuples():
        rows.append(record("spearman", row.key, row.rho, unit="correlation", ci_low=row.ci_low, ci_high=row.ci_high,
                           conf_level=level, p_value=row.p_value, p_mcse=row.p_mcse, p_adjusted=row.p_holm,
                           n=row.n, n_unit="regions", resamples=row.resamples,
                           method=(f"Spearman's rho; {row.null} (mean rho under it {row.null_mean:.2f}); two-sided "
                                   f"permutation p, smallest possible {row.smallest_p:.1g}; interval: Fisher z, "
                                   f"Bonett-Wright variance; Holm across {len(res.associations)}: {row.decision}"),
                           note=f"shared term: {row.shared_term}; plain-null p {row.p_plain:.3f}; planned, not "
                                "pre-registered; region-level only (ecological fallacy)"))
    for row in res.power.itertuples():
        rows.append(record("power", row.quantity, row.estimate, unit=row.unit, estimate_mcse=row.mcse,
                           resamples=row.resamples, n=row.n, n_unit="regions", method=row.method, note=row.note))
    sc = res.scope
    rows.append(record("scope_note", "private_share_of_total_shortage", sc["private_share"], unit="proportion",
                       n=sc["total"], n_unit="persons", method="shortage_private / shortage_total",
                       note="Table 1's denominators cover public preschools only: total-shortage ratios mix scopes"))
    rows.append(record("scope_note", "top3_share_of_total_shortage", sc["top3_total_share"], unit="proportion",
                       n=n_regions, n_unit="regions", method=f"the 3 regions with the largest total shortage: "
                                                             f"{sc['top3_total_regions']}",
                       note=f"scope mismatch; the same regions hold {sc['same_regions_state_share']:.1%} of the "
                            f"state-preschool shortage ({sc['same_regions_state']} of {sc['state']})"))
    for name, rate in sc["rates_total"].items():
        rows.append(record("scope_note", name, rate, unit="persons per 100 children with SEN" if "100" in name
                           else "persons per preschool with inclusive conditions", n=n_regions, n_unit="regions",
                           method="total shortage over public-preschool denominators", note="scope mismatch: shown only here"))
    return rows
