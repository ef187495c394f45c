"""Notebook 41: the teacher shortage by region (Table 2) against preschool inclusion (Table 1).

**Matched scope, and its limits.** Table 1 counts public (state) preschools and the children with
SEN in them; Table 2's shortage is split into state and private preschools, and most of it is in
private preschools. Every rate, concentration and Lorenz curve here therefore uses the
state-preschool shortage (``shortage_state``) against public-preschool denominators. The total
shortage appears only in a labelled scope note (:func:`scope_note`). That the state-preschool
shortage is a preschool need at all rests on Table 2's column headers: its title and the text
([14], p. 278) speak of the need for teachers in general. :func:`scope_correlations` reports what
bears on the matched-scope reading: if the shortage were a need of the children with SEN in public
preschools, it would grow with them. A shortage per child is a ratio of two counts, not a workload.

One function per analysis, each returning a piece the notebook shows in its own section;
:class:`ShortageResults` assembles them for the tidy tables and the summary, and :func:`analyse`
runs them all.

The shortage is a count of posts or persons needed, not of independent events: its dispersion
relative to Poisson variation (phi, several hundred) is reported as a description of how unlike
counting noise the regional differences are, and no Poisson funnel limits are drawn from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analysis.stats import association, disparity, funnel, inequality, spatial
from analysis.stats.montecarlo import proportion_mcse
from analysis.stats.regional import MORAN_VARIANTS, pairs_of, uncertain, variant_name
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
    """``data`` with the inclusive share, children with SEN per preschool, every ratio of :data:`RATIOS` and :data:`MISMATCHED`, and the urban and private shares of the shortage."""
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




#: Independent random streams, one per analysis that draws random numbers (see
#: :data:`analysis.stats.regional.STREAMS`).
STREAMS = {"associations": 1, "power": 2, "moran": 3, "scope": 4, "sensitivity": 5}
REGIONS = {"n_unit": "regions"}
#: The correlations that bear on the matched-scope reading (point 4 of issue 21) and on the
#: exchangeability of region counts (point 5): (x, y, what it asks).
SCOPE_CORRELATIONS = (
    ("sen_children", "shortage_state", "does the state-preschool shortage grow with the children with SEN?"),
    ("preschools_inclusive", "shortage_state", "does it grow with the preschools with inclusive conditions?"),
    ("preschools_total", "shortage_state", "does it grow with the number of public preschools?"),
    ("sen_children", "state_shortage_per_100_sen", "does the shortage per 100 children with SEN fall as they grow?"),
    ("preschools_total", "sen_children", "are the children with SEN and the preschools exchangeable across regions?"),
)


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """The random generator of one analysis: numpy's default generator seeded with [seed, stream]."""
    return np.random.default_rng([int(seed), STREAMS[stream]])


def prepare(shortage: pd.DataFrame, inclusion: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Table 2 joined to Table 1 and the region type (:func:`join`), with every ratio (:func:`add_ratios`)."""
    return add_ratios(join(shortage, inclusion, regions))


def _spearman_row(data, x, y, n_permutations, rng, confidence) -> dict:
    values = data[y].to_numpy(dtype=float)
    res = association.permutation_test(data[x].to_numpy(dtype=float), lambda order: values[order], len(data),
                                       n_permutations, rng, permutes=True)
    low, high = association.fisher_interval(res["rho"], len(data), confidence)
    return {"x": x, "y": y, "rho": res["rho"], "ci_low": low, "ci_high": high,
            "se": association.spearman_z_sd(res["rho"], len(data)) * (1 - res["rho"] ** 2),
            "p_value": res["p_value"], "p_mcse": res["p_mcse"], "resamples": res["resamples"], "n": len(data)}


@dataclass
class Scope:
    """The scope note and the correlations that bear on the matched-scope reading."""

    note: dict
    correlations: pd.DataFrame
    confidence: float

    def rows(self) -> list[dict]:
        """The scope note and the scope correlations as tidy records."""
        sc = self.note
        n_regions = int(self.correlations["n"].iloc[0])
        rows = [
            record("scope_note", "private_share_of_total_shortage", sc["private_share"], unit="proportion",
                   n=sc["total"], n_unit="persons", method="shortage_private / shortage_total",
                   note="Table 1's denominators cover public preschools only: total-shortage ratios mix scopes"),
            record("scope_note", "top3_share_of_total_shortage", sc["top3_total_share"], unit="proportion",
                   n=n_regions, **REGIONS, method=f"the 3 regions with the largest total shortage: {sc['top3_total_regions']}",
                   note=f"scope mismatch; the same regions hold {sc['same_regions_state_share']:.1%} of the "
                        f"state-preschool shortage ({sc['same_regions_state']} of {sc['state']})"),
        ]
        for name, rate in sc["rates_total"].items():
            rows.append(record("scope_note", name, rate, unit="persons per 100 children with SEN" if "100" in name
                               else "persons per preschool with inclusive conditions", n=n_regions, **REGIONS,
                               method="total shortage over public-preschool denominators",
                               note="scope mismatch: shown only here"))
        for r in self.correlations.itertuples():
            rows.append(record("scope_correlation", f"{r.y}_vs_{r.x}", r.rho, unit="correlation", ci_low=r.ci_low,
                               ci_high=r.ci_high, conf_level=self.confidence, se=r.se,
                               se_method="Bonett-Wright SD of Fisher's z (delta method)", p_value=r.p_value,
                               p_mcse=r.p_mcse, resamples=r.resamples, n=r.n, **REGIONS,
                               method="Spearman's rho; two-sided permutation p; interval: Fisher z, Bonett-Wright variance",
                               note=r.question))
        return rows


def scope(data: pd.DataFrame, *, seed: int, n_permutations: int, confidence: float = 0.95) -> Scope:
    """The scope note (:func:`scope_note`) and the Spearman correlations of
    :data:`SCOPE_CORRELATIONS`, each with its Fisher-z interval and permutation p (its own random
    stream of ``seed``): whether the state-preschool shortage grows with the children with SEN and the
    preschools, as a preschool need would, and whether region counts are exchangeable."""
    rng = rng_for(seed, "scope")
    rows = [{**_spearman_row(data, x, y, n_permutations, rng, confidence), "question": q} for x, y, q in SCOPE_CORRELATIONS]
    return Scope(note=scope_note(data), correlations=pd.DataFrame(rows), confidence=confidence)


@dataclass
class Rates:
    """The matched-scope rates: national values and their dispersion against Poisson counts."""

    dispersion: dict
    n_regions: int

    def rows(self) -> list[dict]:
        """The national rates and their dispersion as tidy records."""
        rows = []
        for ratio, d in self.dispersion.items():
            num, den, mult, unit = RATIOS[ratio]
            rows.append(record("ratio_national", ratio, d["rate"], unit=unit, n=self.n_regions, **REGIONS,
                               method=f"sum of {num} / sum of {den}" + (f" x {mult}" if mult != 1 else ""),
                               note="matched scope: state preschools, public-preschool denominators; a census ratio "
                                    "(no interval), and a ratio of counts, not a workload"))
            rows.append(record("dispersion", f"phi_{ratio}", d["phi"], unit="ratio", n=self.n_regions, **REGIONS,
                               method="mean squared Poisson z-score of the regional rates (no winsorising)",
                               note="descriptive: phi far above 1 says the regions differ far beyond counting noise; "
                                    "no Poisson limits are drawn from it"))
        return rows


def rates(data: pd.DataFrame) -> Rates:
    """Every matched-scope ratio of :data:`RATIOS`: its national value and its dispersion phi
    against Poisson counts (:func:`dispersion`), a description."""
    return Rates(dispersion={r: dispersion(data, r) for r in RATIOS}, n_regions=len(data))


@dataclass
class Splits:
    """Urban/rural and state/private splits of the shortage."""

    splits: dict
    confidence: float

    def rows(self) -> list[dict]:
        """The national splits and the regional chi-square tests as tidy records."""
        s, rows = self.splits, []
        for name, label in (("urban", "urban_share"), ("private", "private_share")):
            nat = s["national"][name]
            rows.append(record("national_split", label, nat["share"], unit="proportion", ci_low=nat["ci_low"],
                               ci_high=nat["ci_high"], conf_level=self.confidence, n=int(nat["total"]), n_unit="persons",
                               se=float(np.sqrt(nat["share"] * (1 - nat["share"]) / nat["total"])),
                               se_method="binomial (nominal)", method="Wilson interval (statsmodels proportion_confint)",
                               note="persons short are not independent trials: the interval is nominal"))
        for key, label, note in (("urban_rural", "urban_rural_homogeneity",
                                  "cities excluded (no rural areas): " + ";".join(s["urban_rural_excluded"])),
                                 ("state_private", "state_private_homogeneity", "all regions")):
            c = s[key]
            rows.append(record("chi2_homogeneity", f"{label}_chi2", c["statistic"], unit="statistic", p_value=c["p_value"],
                               n=c["n"], n_unit="persons",
                               method=f"Pearson chi-square, {c['groups']} regions x 2, df = {c['dof']}",
                               note=f"{note}; persons are not independent units: read V"))
            rows.append(record("chi2_homogeneity", f"{label}_cramers_v", c["cramers_v"], unit="index", n=c["n"],
                               n_unit="persons", method="Cramér's V",
                               note="a description of the census table: persons short are not independent trials, so "
                                    "no chance model gives it an interval"))
        return rows


def splits(data: pd.DataFrame, confidence: float = 0.95) -> Splits:
    """The urban/rural and state/private splits (:func:`split_tests`)."""
    return Splits(splits=split_tests(data, confidence), confidence=confidence)


@dataclass
class Concentration:
    """How concentrated the state-preschool shortage is."""

    table: pd.DataFrame
    lorenz: dict
    gini: dict
    n_regions: int

    def rows(self) -> list[dict]:
        """The concentration shares and Gini coefficients as tidy records."""
        rows = []
        for row in self.table.itertuples():
            rows.append(record("concentration", f"top{row.top}_share_of_state_shortage", row.shortage_share,
                               unit="proportion", n=self.n_regions, **REGIONS,
                               method=f"regions with the {row.top} largest state-preschool shortages: {row.regions}",
                               note=f"the same regions hold {row.sen_share:.1%} of children with SEN and "
                                    f"{row.preschool_share:.1%} of public preschools"))
        for name, gini in self.gini.items():
            rows.append(record("concentration", f"gini_state_shortage_vs_{name}", gini, unit="index", n=self.n_regions,
                               **REGIONS, method="Gini from the Lorenz curve of the state-preschool shortage against "
                                                 + name.replace("_", " "),
                               note="a description of the census counts (no chance model)"))
        return rows


def concentration_analysis(data: pd.DataFrame) -> Concentration:
    """The share of the state-preschool shortage held by the 3 and 5 regions with the largest
    shortage (:func:`concentration`), and its Lorenz curves and Gini against regions, children with
    SEN and public preschools (:func:`lorenz_curves`)."""
    curves = lorenz_curves(data)
    return Concentration(table=concentration(data), lorenz=curves,
                         gini={k: inequality.lorenz_gini(v) for k, v in curves.items()}, n_regions=len(data))


@dataclass
class Associations:
    """The planned associations: Spearman's rho, plain and matched nulls, conditional models, Holm."""

    table: pd.DataFrame
    conditional: pd.DataFrame
    confidence: float

    def rows(self) -> list[dict]:
        """Spearman's rho, the conditional models and Holm's decisions as tidy records."""
        rows = []
        k = len(self.table)
        for row in self.table.itertuples():
            rows.append(record(
                "spearman", row.key, row.rho, unit="correlation", ci_low=row.ci_low, ci_high=row.ci_high,
                conf_level=self.confidence, se=row.se, se_method="Bonett-Wright SD of Fisher's z (delta method)",
                p_value=row.p_value, p_mcse=row.p_mcse, n=row.n, **REGIONS, resamples=row.resamples,
                method=(f"Spearman's rho; {row.null} (mean rho under it {row.null_mean:.2f}); two-sided permutation p, "
                        f"smallest possible {row.smallest_p:.1g}; interval: Fisher z, Bonett-Wright variance (unadjusted)"),
                note=f"shared term: {row.shared_term}; plain-null p {row.p_plain:.3f}; planned, not pre-registered; "
                     "region-level only (ecological fallacy)"))
        for c in self.conditional.itertuples():
            rows.append(record(
                "conditional_model", c.key, c.odds_ratio_per_doubling, unit="odds ratio per doubling",
                ci_low=c.or_low, ci_high=c.or_high, conf_level=self.confidence, se=c.or_se,
                se_method="observed information (delta method)", p_value=c.p_value, n=c.n, **REGIONS,
                method=(f"beta-binomial regression of the inclusive share on log({c.free}) with log(public preschools) as "
                        f"a covariate, one common dispersion; odds ratio per doubling of {c.free}, Wald interval; p: "
                        f"likelihood ratio (chi2_1), LR = {c.lr:.2f}"),
                note="does not assume that region counts are exchangeable, as the matched null does; the decision below "
                     "uses this p"))
        for row in self.table.itertuples():
            rows.append(record(
                "holm", row.key, row.p_holm, unit="probability", p_value=row.p_decision,
                p_mcse=row.p_decision_mcse if row.p_decision_mcse > 0 else None,
                p_adjusted=row.p_holm, n=row.n, **REGIONS,
                method=f"Holm across the {k} planned associations, on {row.decision_basis}: {row.decision}",
                note=f"Monte-Carlo error of the adjusted p {row.p_holm_mcse:.2g}; a decision is stated only where the "
                     "adjusted p lies more than two Monte-Carlo errors from alpha"))
        return rows


def associations(data: pd.DataFrame, *, seed: int, n_permutations: int, confidence: float = 0.95,
                 alpha: float = 0.05) -> Associations:
    """Every planned association (:data:`analysis.stats.association.PLANNED_ASSOCIATIONS`): Spearman's
    rho with its Fisher-z interval, the plain and (where a term is shared) the matched permutation p;
    for the associations with a matched null, the conditional model
    (:func:`analysis.stats.association.conditional`), whose p decides; Holm's correction across the
    planned associations on the deciding p (the permutation p for the association without a shared
    term), with its Monte-Carlo error and a decision."""
    rng = rng_for(seed, "associations")
    table = pd.DataFrame([association.associate(data, a, n_permutations, rng, confidence)
                          for a in association.PLANNED_ASSOCIATIONS])
    table["se"] = [association.spearman_z_sd(r, len(data)) * (1 - r ** 2) for r in table["rho"]]
    conditional = pd.DataFrame([c for a in association.PLANNED_ASSOCIATIONS
                                if (c := association.conditional(data, a, confidence))])
    by_key = conditional.set_index("key") if len(conditional) else pd.DataFrame()
    decision_p, decision_mcse, basis = [], [], []
    for row in table.itertuples():
        if row.key in by_key.index:
            decision_p.append(float(by_key.loc[row.key, "p_value"]))
            decision_mcse.append(0.0)
            basis.append("the conditional model's likelihood-ratio p")
        else:
            decision_p.append(row.p_value)
            decision_mcse.append(row.p_mcse)
            basis.append("the permutation p")
    table["p_decision"], table["p_decision_mcse"], table["decision_basis"] = decision_p, decision_mcse, basis
    table["p_holm"], table["p_holm_mcse"], table["decision"] = association.holm_with_mcse(decision_p, decision_mcse, alpha)
    return Associations(table=table, conditional=conditional, confidence=confidence)


@dataclass
class Power:
    """What 20 regions can detect."""

    table: pd.DataFrame

    def rows(self) -> list[dict]:
        """The power table as tidy records."""
        return [record("power", r.quantity, r.estimate, unit=r.unit, estimate_mcse=r.mcse, resamples=r.resamples, n=r.n,
                       **REGIONS, method=r.method, note=r.note) for r in self.table.itertuples()]


def power(n: int, *, alpha: float, n_tests: int, seed: int) -> Power:
    """The power of a Spearman test at ``n`` regions (:func:`power_table`, its own random stream)."""
    return Power(table=power_table(n, alpha, n_tests, rng_for(seed, "power")))


@dataclass
class Moran:
    """Moran's I of the state-preschool shortage per 100 children with SEN, in every variant."""

    variants: pd.DataFrame
    n_pairs: int
    n_uncertain: int

    @property
    def main(self) -> pd.Series:
        """The main variant: row-standardised weights, all units, all pairs."""
        return self.variants.iloc[0]

    def rows(self) -> list[dict]:
        """The main Moran's I as a tidy record."""
        m = self.main
        return [record("morans_i", "state_shortage_per_100_sen", m["I"], unit="index", p_value=m["p"], p_mcse=m["p_mcse"],
                       n=int(m["units"]), **REGIONS, resamples=m["permutations"],
                       method=f"Moran's I, row-standardised queen contiguity ({self.n_pairs} pairs of "
                              f"data/raw/region_adjacency.csv); two-sided permutation p; E[I] = {m['expected']:.4f}",
                       note="a test statistic (no interval: the rates are not counts of a chance process); variants in "
                            "41_sensitivity.csv; low power with 20 units")]

    def sensitivity_rows(self) -> list[dict]:
        """Every variant of Moran's I as a tidy record (subject: the variant)."""
        return [record("morans_i", "state_shortage_per_100_sen", v.I, subject=v.variant, unit="index", p_value=v.p,
                       p_mcse=v.p_mcse, resamples=v.permutations, n=int(v.units), **REGIONS,
                       method=f"Moran's I, {v.style} weights over {v.pairs} neighbour pairs; two-sided permutation p; "
                              f"E[I] = {v.expected:.4f}", note=v.note) for v in self.variants.itertuples()]


def moran(data: pd.DataFrame, adjacency: pd.DataFrame, *, seed: int, n_permutations: int = 99_999) -> Moran:
    """Moran's I of the state-preschool shortage per 100 children with SEN in every variant of
    :data:`analysis.stats.regional.MORAN_VARIANTS` (weights, units, pairs), each with its two-sided
    permutation p (its own random stream of ``seed``)."""
    rng = rng_for(seed, "moran")
    codes_all = list(data["region_iso"])
    values = data["state_shortage_per_100_sen"].to_numpy(dtype=float)
    rows = []
    for style, units, pairs in MORAN_VARIANTS:
        keep = np.ones(len(data), bool) if units == "all" else (data["type"] != "city").to_numpy()
        codes = [c for c, k in zip(codes_all, keep, strict=True) if k]
        chosen = pairs_of(adjacency, codes, pairs)
        test = spatial.moran_test(values[keep], spatial.weights(chosen, codes, style), n_permutations, rng)
        rows.append({"variant": variant_name(style, units, pairs),
                     "style": "row-standardised" if style == "row" else "binary",
                     "pairs": f"{len(chosen)} ({'all' if pairs == 'all' else 'uncertain ones left out'})",
                     "units": int(keep.sum()), "I": test["I"], "expected": test["expected"], "p": test["p_permutation"],
                     "p_mcse": test["p_permutation_se"], "permutations": n_permutations,
                     "note": ("all 20 units" if units == "all" else "the 17 regions, the three cities left out")
                             + ("" if pairs == "all" else "; the pairs marked uncertain left out")})
    return Moran(variants=pd.DataFrame(rows), n_pairs=len(pairs_of(adjacency, codes_all, "all")),
                 n_uncertain=int(uncertain(adjacency).sum()))


def sensitivity(data: pd.DataFrame, moran_result: Moran, *, seed: int, n_permutations: int,
                confidence: float = 0.95) -> pd.DataFrame:
    """The associations and Moran's I again, each with its interval and p: every planned
    association without the three cities (Spearman's rho with its Fisher-z interval, the plain and
    matched permutation p), the conditional models with a city indicator added, and Moran's I of the
    matched shortage rate in every variant. One tidy record per number."""
    rng = rng_for(seed, "sensitivity")
    regions_only = data[data["type"] != "city"].reset_index(drop=True)
    rows = []
    for a in association.PLANNED_ASSOCIATIONS:
        r = association.associate(regions_only, a, n_permutations, rng, confidence)
        se = association.spearman_z_sd(r["rho"], r["n"]) * (1 - r["rho"] ** 2)
        rows.append(record("spearman", a.key, r["rho"], subject="without_cities", unit="correlation", ci_low=r["ci_low"],
                           ci_high=r["ci_high"], conf_level=confidence, se=se,
                           se_method="Bonett-Wright SD of Fisher's z (delta method)", p_value=r["p_value"],
                           p_mcse=r["p_mcse"], resamples=r["resamples"], n=r["n"], **REGIONS,
                           method=f"Spearman's rho over the 17 regions; {r['null']}; two-sided permutation p; "
                                  "interval: Fisher z, Bonett-Wright variance",
                           note=f"plain-null p {r['p_plain']:.3f}; the three cities left out"))
    with_city = data.assign(city=(data["type"] == "city").astype(float))
    for a in association.PLANNED_ASSOCIATIONS:
        c = association.conditional(with_city, a, confidence, extra=("city",))
        if c:
            rows.append(record("conditional_model", a.key, c["odds_ratio_per_doubling"], subject="with_city_indicator",
                               unit="odds ratio per doubling", ci_low=c["or_low"], ci_high=c["or_high"],
                               conf_level=confidence, se=c["or_se"], se_method="observed information (delta method)",
                               p_value=c["p_value"], n=c["n"], **REGIONS,
                               method=f"as the conditional model, with a city indicator added; likelihood-ratio p, "
                                      f"LR = {c['lr']:.2f}", note="allows the cities their own mean share"))
    rows += moran_result.sensitivity_rows()
    return frame(rows)


@dataclass
class ShortageResults:
    """Every piece of notebook 41, for its tidy tables, figures and summary."""

    data: pd.DataFrame
    scope: Scope
    rates: Rates
    splits: Splits
    concentration: Concentration
    associations: Associations
    power: Power
    moran: Moran
    sensitivity: pd.DataFrame
    params: dict = field(default_factory=dict)

    def tidy(self) -> pd.DataFrame:
        """The national statistics (one record per number), assembled from the pieces."""
        return frame([*self.rates.rows(), *self.splits.rows(), *self.concentration.rows(), *self.moran.rows(),
                      *self.associations.rows(), *self.power.rows(), *self.scope.rows()])

    def region_table(self) -> pd.DataFrame:
        """Each region's ratios and splits (one record per number)."""
        rows = []
        for ratio, (num, den, mult, unit) in RATIOS.items():
            for r in self.data.itertuples():
                rows.append(record("ratio", ratio, getattr(r, ratio), subject=r.region_iso, unit=unit, n=1,
                                   n_unit="region", method=f"{num} / {den}" + (f" x {mult}" if mult != 1 else ""),
                                   note="matched scope: state preschools; a ratio of counts, not a workload"))
        for r in self.data.itertuples():
            for col in ("urban_share", "private_share"):
                rows.append(record("split", col, getattr(r, col), subject=r.region_iso, unit="proportion",
                                   n=r.shortage_total, n_unit="persons",
                                   method=f"shortage_{col.split('_')[0]} / shortage_total",
                                   note="no rural areas" if col == "urban_share" and r.type == "city" else ""))
        return frame(rows)


def analyse(shortage: pd.DataFrame, inclusion: pd.DataFrame, regions: pd.DataFrame, adjacency: pd.DataFrame, *,
            seed: int, n_permutations: int, confidence: float = 0.95, alpha: float = 0.05) -> ShortageResults:
    """Every analysis of notebook 41 on Tables 1 and 2, in the notebook's order (each with its own
    random stream of ``seed``), as one :class:`ShortageResults`."""
    data = prepare(shortage, inclusion, regions)
    moran_result = moran(data, adjacency, seed=seed)
    return ShortageResults(
        data=data, scope=scope(data, seed=seed, n_permutations=n_permutations, confidence=confidence),
        rates=rates(data), splits=splits(data, confidence), concentration=concentration_analysis(data),
        associations=associations(data, seed=seed, n_permutations=n_permutations, confidence=confidence, alpha=alpha),
        power=power(len(data), alpha=alpha, n_tests=len(association.PLANNED_ASSOCIATIONS), seed=seed),
        moran=moran_result,
        sensitivity=sensitivity(data, moran_result, seed=seed, n_permutations=n_permutations, confidence=confidence),
        params={"seed": seed, "n_permutations": n_permutations, "confidence": confidence, "alpha": alpha,
                "n_pairs": moran_result.n_pairs})
