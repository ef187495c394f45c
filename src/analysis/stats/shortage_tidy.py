"""The national statistics of notebook 41 as tidy records (one number a row, with unit, n and method)."""

from __future__ import annotations

from analysis.stats.shortage import RATIOS
from analysis.stats.tidy import record

CENSUS_NOTE = "a census of regions: a superpopulation question, not sampling error"


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
