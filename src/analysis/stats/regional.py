"""Notebook 40: regional disparity of the share of public preschools with inclusive conditions.

Table 1 is a census: every public preschool of every region. Tests and intervals answer a
superpopulation question: how much more the regions vary than a chance process around one
common share would make them, and which region is unusual given the spread of the others.

One function per analysis, each returning a piece that the notebook shows in its own section and
that knows its rows of the tidy tables (``rows()``, ``region_rows()``); :class:`RegionalResults`
puts the pieces together for the tables and the summary, and :func:`analyse` runs them all.

* :func:`prepare`: Table 1 with each unit's type (city of republican significance or region);
* :func:`homogeneity`: chi-square test of one common share, Cramér's V; its statistic is the sum
  of the squared binomial z-scores, so it and the dispersion factor are one piece of evidence;
* :func:`shares`: the national share and each region's, with Wilson intervals;
* :func:`one_beta`: the beta-binomial model with one Beta for all 20 units: the spread of the true
  shares (ICC and SD with profile-likelihood intervals), each unit's predictive p in-sample and
  leave-one-out (Holm), the shares at which a unit would be flagged, shrunken shares, funnel limits;
* :func:`city_model`: the beta-binomial regression with an indicator for the three cities (their
  own mean, one common dispersion): its likelihood-ratio test, ICC with and without it, the
  leave-one-out predictive p of every unit under it, and its funnel limits (one centre per group);
* :func:`disparity_indices`: CV, max/min, Gini, Theil, Cramér's V with basic intervals from
  resampling each region's count from its own binomial (counts within regions are resampled, never
  the regions);
* :func:`moran`: Moran's I under row-standardised and binary weights, with and without the cities
  and the uncertain neighbour pairs, each with its permutation p, and the pairs that drive its sign;
* :func:`sensitivity`: the key statistics without the three cities, weighted by children with SEN,
  and on the logit scale, each with its interval and p.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.special import expit
from scipy.stats import chi2 as chi2_dist
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests

from analysis.precision import format_value
from analysis.stats import betabinom, disparity, funnel, inequality, spatial
from analysis.stats.tidy import frame, interval_se, record

#: Group labels of the Theil split.
CITY, OTHER = "city", "region"
#: Independent random streams, one per analysis that draws random numbers: each cell of the
#: notebook can be re-run alone and gives the same numbers (numpy generator seeded [seed, stream]).
STREAMS = {"indices": 1, "moran": 2, "sensitivity": 3}
#: Moran's I permutations.
N_PERMUTATIONS = 99_999
REGIONS = {"n_unit": "regions"}


def rng_for(seed: int, stream: str) -> np.random.Generator:
    """The random generator of one analysis: numpy's default generator seeded with [seed, stream]."""
    return np.random.default_rng([int(seed), STREAMS[stream]])


def _counts(data: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    return data["preschools_inclusive"].to_numpy(), data["preschools_total"].to_numpy()


def _holm(p, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    reject, adjusted, _, _ = multipletests(np.asarray(p, dtype=float), alpha=alpha, method="holm")
    return adjusted, reject


# -- data ----------------------------------------------------------------------------------------

def prepare(inclusion: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Table 1 joined to each unit's type (``city`` for the cities of republican significance,
    else ``region``), with its ``share``; a unit without a type is an error naming it."""
    data = inclusion.merge(regions[["region_iso", "type"]], on="region_iso", how="left", validate="one_to_one")
    if data["type"].isna().any():
        raise ValueError("regions without a type: " + ", ".join(data.loc[data["type"].isna(), "region_iso"]))
    return data.assign(share=data["preschools_inclusive"] / data["preschools_total"])


# -- one common share? ---------------------------------------------------------------------------

def homogeneity(data: pd.DataFrame, alpha: float = 0.05) -> dict:
    """Pearson's chi-square test that every unit has one common share, Cramér's V and its
    bias-corrected version (:func:`analysis.stats.disparity.chi2_homogeneity`), and the smallest V
    that would already be significant at ``alpha`` with this many preschools."""
    y, n = _counts(data)
    out = disparity.chi2_homogeneity(y, n)
    out["v_min"] = disparity.smallest_significant_v(out["n"], out["dof"], out["groups"], 2, alpha)
    out["alpha"] = alpha
    return out


def homogeneity_rows(c: dict, indices: pd.DataFrame | None = None, confidence: float = 0.95) -> list[dict]:
    """The chi-square test and Cramér's V as tidy records (V with its resampling interval where the
    disparity indices, which resample it, are given)."""
    k = c["groups"]
    v = {}
    if indices is not None and "cramers_v" in set(indices["index"]):
        r = indices.set_index("index").loc["cramers_v"]
        v = {"ci_low": r["ci_low"], "ci_high": r["ci_high"], "conf_level": confidence, "ci_mcse": r["ci_mcse"],
             "se": r["sd"], "se_method": "SD of the binomial resamples"}
    return [
        record("chi2_homogeneity", "chi2", c["statistic"], unit="statistic", p_value=c["p_value"], n=c["n"],
               n_unit="preschools", method=f"Pearson chi-square, {k} regions x 2, df = {c['dof']} (scipy chi2_contingency)",
               note=(f"= the sum of the squared binomial z-scores: the same evidence as the dispersion factor "
                     f"phi = chi2 / {k} = {c['statistic'] / k:.1f}; the binomial model it tests is rejected by it, so "
                     "its p-value says only that the regions differ beyond one common share")),
        record("chi2_homogeneity", "cramers_v", c["cramers_v"], unit="index", n=c["n"], n_unit="preschools",
               method="Cramér's V" + ("; basic interval from binomial resamples of each region's count" if v else ""),
               note="0 = the same share everywhere; 1 = complete separation", **v),
        record("chi2_homogeneity", "cramers_v_bias_corrected", c["cramers_v_corrected"], unit="index", n=c["n"],
               n_unit="preschools", method="bias-corrected Cramér's V (Bergsma 2013)",
               note="a descriptive correction of the census table; its uncertainty is that of V"),
    ]


# -- shares with Wilson intervals ----------------------------------------------------------------

@dataclass
class Shares:
    """The national share and each unit's share with Wilson intervals."""

    national: dict
    regions: pd.DataFrame
    confidence: float

    def rows(self) -> list[dict]:
        """The national share as a tidy record."""
        nat = self.national
        return [record("national_share", "inclusive_share", nat["share"], unit="proportion", ci_low=nat["ci_low"],
                       ci_high=nat["ci_high"], conf_level=self.confidence, n=nat["total"], n_unit="preschools",
                       se=np.sqrt(nat["share"] * (1 - nat["share"]) / nat["total"]), se_method="binomial (nominal)",
                       method="Wilson interval (statsmodels proportion_confint)",
                       note="nominal: every preschool is counted, so the interval answers only the superpopulation "
                            "question of a chance process around one share; it ignores the spread between regions")]

    def region_rows(self) -> list[dict]:
        """Each unit's share with its Wilson interval as tidy records."""
        return [record("wilson_interval", "inclusive_share", w.share, subject=w.region_iso, unit="proportion",
                       ci_low=w.ci_low, ci_high=w.ci_high, conf_level=self.confidence, n=w.total, n_unit="preschools",
                       se=np.sqrt(w.share * (1 - w.share) / w.total), se_method="binomial (nominal)",
                       method="Wilson interval", note="nominal: a census count")
                for w in self.regions.itertuples()]


def shares(data: pd.DataFrame, confidence: float = 0.95) -> Shares:
    """The national share (the sum of the units) and every unit's share, each with its Wilson
    interval (statsmodels ``proportion_confint``): nominal intervals of census counts."""
    y, n = _counts(data)
    nat = disparity.wilson_intervals([y.sum()], [n.sum()], confidence).iloc[0]
    regional = disparity.wilson_intervals(y, n, confidence).assign(region_iso=data["region_iso"].to_numpy())
    return Shares(national={"share": float(nat["share"]), "ci_low": float(nat["ci_low"]),
                            "ci_high": float(nat["ci_high"]), "inclusive": int(y.sum()), "total": int(n.sum())},
                  regions=regional, confidence=confidence)


# -- one Beta for all units ----------------------------------------------------------------------

def _grid(n: np.ndarray, points: int) -> np.ndarray:
    return np.unique(np.round(np.linspace(max(10, n.min() * 0.5), n.max() * 1.1, points)))


@dataclass
class OneBeta:
    """The beta-binomial model with one Beta distribution for every unit."""

    fit: dict
    regression: dict
    rho_ci: tuple
    sd_ci: tuple
    units: pd.DataFrame
    shrunk: pd.DataFrame
    curve: pd.DataFrame
    limits: dict
    alpha: float
    confidence: float

    def rows(self) -> list[dict]:
        """The one-Beta model's national statistics as tidy records."""
        f, k, level = self.fit, len(self.units), self.confidence
        regions = {"n": k, **REGIONS}
        u = self.units
        mu_se = float(self.regression["coef_se"][0]) * f["mu"] * (1 - f["mu"])
        z = norm.ppf(0.5 + level / 2)
        b0, b0_se = float(self.regression["coef"][0]), float(self.regression["coef_se"][0])
        smallest = u.loc[u["predictive_p"].idxmin()]
        smallest_loo = u.loc[u["loo_p"].idxmin()]
        return [
            record("beta_binomial", "icc", f["rho"], unit="index", ci_low=self.rho_ci[0], ci_high=self.rho_ci[1],
                   conf_level=level, se=self.regression["rho_se"], se_method="observed information (delta method)",
                   p_value=f["lr_p_value"], **regions,
                   method="maximum-likelihood beta-binomial, one Beta for all units; interval: profile likelihood; "
                          "p: likelihood ratio against the binomial (boundary: half chi2_1)",
                   note="intra-class correlation 1 / (alpha + beta + 1): 0 = one common share"),
            record("beta_binomial", "sd_of_true_shares", f["sd_true"], unit="proportion", ci_low=self.sd_ci[0],
                   ci_high=self.sd_ci[1], conf_level=level, se=interval_se(*self.sd_ci, level),
                   se_method="profile interval half-width / z", **regions,
                   method="sqrt(mu (1 - mu) rho) of the fitted Beta(alpha, beta); interval: profile likelihood"),
            record("beta_binomial", "mean_share", f["mu"], unit="proportion", ci_low=float(expit(b0 - z * b0_se)),
                   ci_high=float(expit(b0 + z * b0_se)), conf_level=level, se=mu_se,
                   se_method="observed information (delta method)", **regions,
                   method="alpha / (alpha + beta): the mean of the units' true shares (each unit counts once); "
                          "interval: Wald on the logit scale",
                   note="the centre of the beta-binomial funnel limits (the national share, the binomial limits' "
                        "centre, weights units by their size)"),
            record("funnel", "regions_flagged", int(u["flagged"].sum()), unit="regions", **regions,
                   method=f"two-sided beta-binomial predictive mid-p, in-sample, Holm across {k} units at "
                          f"alpha = {self.alpha}"),
            record("funnel", "smallest_predictive_p", float(smallest["predictive_p"]), unit="probability",
                   p_value=float(smallest["predictive_p"]), p_adjusted=float(smallest["p_holm"]), **regions,
                   method="two-sided beta-binomial predictive mid-p, in-sample (the unit widens the spread it is "
                          "judged against)", note=f"region {smallest['region_iso']}"),
            record("funnel", "smallest_loo_predictive_p", float(smallest_loo["loo_p"]), unit="probability",
                   p_value=float(smallest_loo["loo_p"]), p_adjusted=float(u["loo_holm"].min()), **regions,
                   method="two-sided predictive mid-p, the Beta fitted to the other units (leave one out); "
                          f"p_adjusted: the smallest Holm-adjusted across {k}",
                   note=f"region {smallest_loo['region_iso']}; regions flagged after Holm: {int(u['loo_flagged'].sum())}"),
            record("funnel", "regions_that_cannot_be_flagged", int((~u["can_flag_low"] | ~u["can_flag_high"]).sum()),
                   unit="regions", **regions,
                   method=f"at Holm's first cut, alpha / {k}: no share in [0, 1] would be flagged on one side"),
            record("funnel", "regions_outside_binomial_998", int(u["outside_binomial_998"].sum()), unit="regions",
                   **regions, method="exact binomial 99.8% limits around one common share (Spiegelhalter 2005)",
                   note="the model the chi-square rejects: shown only as the no-spread reference"),
        ]

    def region_rows(self) -> list[dict]:
        """Each unit's shrunken share, z, predictive p (in-sample, leave-one-out) and flag thresholds as tidy records."""
        rows = []
        level = self.confidence
        for u, s in zip(self.units.itertuples(), self.shrunk.itertuples(), strict=True):
            one = {"subject": u.region_iso, "n": u.size, "n_unit": "preschools"}
            rows.append(record("shrinkage", "shrunk_share", s.shrunk_share, unit="proportion", ci_low=s.ci_low,
                               ci_high=s.ci_high, conf_level=level, se=s.posterior_sd, se_method="posterior SD",
                               method="empirical-Bayes posterior mean, Beta(alpha + y, beta + n - y); equal-tailed "
                                      "interval",
                               note=f"conditional on the fitted alpha and beta (their uncertainty is not carried: the "
                                    f"interval is too narrow); weight on the region's own share {s.weight_on_raw:.2f}",
                               **one))
            rows.append(record("funnel", "z_binomial", u.z, unit="standard deviations", method="(share - national) / "
                               "binomial SE", note="ignores the spread between regions", **one))
            rows.append(record("funnel", "predictive_p", u.predictive_p, unit="probability", p_value=u.predictive_p,
                               p_adjusted=u.p_holm, method="two-sided beta-binomial predictive mid-p, one Beta fitted to "
                                                           "all units (in-sample); Holm across units",
                               note="flagged" if u.flagged else "", **one))
            rows.append(record("funnel", "loo_predictive_p", u.loo_p, unit="probability", p_value=u.loo_p,
                               p_adjusted=u.loo_holm, method="two-sided predictive mid-p, one Beta fitted to the other "
                                                             "units (leave one out); Holm across units",
                               note="flagged" if u.loo_flagged else "", **one))
            for side in ("low", "high"):
                share = getattr(u, f"flag_{side}_share")
                rows.append(record("flag_threshold", f"share_{side}", share, unit="proportion",
                                   method=f"the share at or {'below' if side == 'low' else 'above'} which the region "
                                          "would be flagged at Holm's first cut (in-sample)",
                                   note="" if getattr(u, f"can_flag_{side}") else "cannot be flagged on this side", **one))
        return rows


def one_beta(data: pd.DataFrame, alpha: float = 0.05, confidence: float = 0.95, grid_points: int = 300) -> OneBeta:
    """The beta-binomial model with one Beta for all units (:mod:`analysis.stats.betabinom`): the
    fit and its likelihood-ratio test against the binomial; profile-likelihood intervals of the ICC
    and of the SD of the true shares; per unit the binomial z, the in-sample and the leave-one-out
    predictive mid-p (each Holm-adjusted), the shares at which it would be flagged at Holm's first
    cut, and whether it lies outside the exact binomial 99.8% limits; the shrunken shares
    (conditional on alpha and beta); the funnel limits over a grid of sizes."""
    y, n = _counts(data)
    ones = np.ones((len(y), 1))
    fit = betabinom.fit(y, n)
    regression = betabinom.fit_regression(y, n, ones)
    p0 = y.sum() / n.sum()
    p = betabinom.predictive_p(y, n, fit)
    p_holm, flagged = _holm(p, alpha)
    loo = betabinom.loo_predictive_p(y, n, ones)
    loo_holm, loo_flagged = _holm(loo, alpha)
    thresholds = betabinom.flag_thresholds(n, fit, alpha / len(y))
    units = pd.DataFrame({
        "region_iso": data["region_iso"].to_numpy(), "type": data["type"].to_numpy(), "size": n, "share": y / n,
        "z": (y / n - p0) / funnel.binomial_se(p0, n), "predictive_p": p, "p_holm": p_holm, "flagged": flagged,
        "loo_p": loo, "loo_holm": loo_holm, "loo_flagged": loo_flagged,
        "flag_low_share": thresholds["low_share"].to_numpy(), "flag_high_share": thresholds["high_share"].to_numpy(),
        "can_flag_low": thresholds["can_flag_low"].to_numpy(), "can_flag_high": thresholds["can_flag_high"].to_numpy(),
        "outside_binomial_998": funnel.outside(y / n, funnel.binomial_limit(p0, n, 0.001),
                                               funnel.binomial_limit(p0, n, 0.999)),
    })
    shrunk = betabinom.shrunken(y, n, fit, confidence)
    a, b = fit["alpha"] + y, fit["beta"] + n - y
    shrunk = shrunk.assign(posterior_sd=np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1))),
                           region_iso=data["region_iso"].to_numpy(), type=data["type"].to_numpy(), size=n)
    holm_first = alpha / len(y)
    return OneBeta(fit=fit, regression=regression,
                   rho_ci=betabinom.profile_interval(y, n, ones, "rho", confidence, regression),
                   sd_ci=betabinom.profile_interval(y, n, ones, "sd", confidence, regression),
                   units=units, shrunk=shrunk, curve=funnel.funnel_curve(p0, _grid(n, grid_points), fit),
                   limits={"holm_first": holm_first, "z_first": float(norm.ppf(1 - holm_first / 2))},
                   alpha=alpha, confidence=confidence)


# -- the cities apart ----------------------------------------------------------------------------

@dataclass
class CityModel:
    """The beta-binomial regression with an indicator for the cities of republican significance."""

    fit: dict
    null: dict
    lr: float
    lr_p: float
    rho_ci: tuple
    rho_null_ci: tuple
    units: pd.DataFrame
    curve: pd.DataFrame
    against_regions: dict
    alpha: float
    confidence: float

    def group_mean(self, group: str) -> tuple[float, float, float, float]:
        """Mean true share of ``group`` (city or region): estimate, Wald interval on the logit
        scale, and its standard error (delta method)."""
        b, se = self.fit["coef"], self.fit["coef_se"]
        z = norm.ppf(0.5 + self.confidence / 2)
        if group == OTHER:
            eta, eta_se = float(b[0]), float(se[0])
        else:  # the city mean: b0 + b1, its variance from the inverse Hessian is not kept, so refit centred
            eta, eta_se = float(b[0] + b[1]), float(self.fit["city_intercept_se"])
        mu = float(expit(eta))
        return mu, float(expit(eta - z * eta_se)), float(expit(eta + z * eta_se)), eta_se * mu * (1 - mu)

    def rows(self) -> list[dict]:
        """The city model's national statistics as tidy records."""
        k, level = len(self.units), self.confidence
        regions = {"n": k, **REGIONS}
        z = norm.ppf(0.5 + level / 2)
        b1, b1_se = float(self.fit["coef"][1]), float(self.fit["coef_se"][1])
        u = self.units
        rows = [
            record("city_model", "city_odds_ratio", float(np.exp(b1)), unit="ratio", ci_low=float(np.exp(b1 - z * b1_se)),
                   ci_high=float(np.exp(b1 + z * b1_se)), conf_level=level, se=float(np.exp(b1)) * b1_se,
                   se_method="observed information (delta method)", p_value=self.lr_p, **regions,
                   method="beta-binomial regression, logit mean = b0 + b1 city, one common dispersion (maximum "
                          "likelihood); odds ratio exp(b1), Wald interval; p: likelihood-ratio test of b1 = 0 (chi2_1), "
                          f"LR = {self.lr:.2f}",
                   note="the cities were singled out after their shares were seen (notebook 40's sensitivity "
                        "analysis): the p-value is optimistic, the size of the gap is the finding"),
            record("city_model", "icc", self.fit["rho"], unit="index", ci_low=self.rho_ci[0], ci_high=self.rho_ci[1],
                   conf_level=level, se=self.fit["rho_se"], se_method="observed information (delta method)", **regions,
                   method="intra-class correlation with the city indicator; interval: profile likelihood",
                   note=f"without the indicator: {self.null['rho']:.3f} (profile interval {self.rho_null_ci[0]:.3f} to "
                        f"{self.rho_null_ci[1]:.3f})"),
        ]
        for group in (OTHER, CITY):
            mu, low, high, se = self.group_mean(group)
            rows.append(record("city_model", f"mean_share_{group}", mu, unit="proportion", ci_low=low, ci_high=high,
                               conf_level=level, se=se, se_method="observed information (delta method)", **regions,
                               method=f"mean true share of the {'cities' if group == CITY else 'regions'} under the city "
                                      "model; interval: Wald on the logit scale",
                               note="a centre of the funnel limits of the city model"))
        smallest = u.loc[u["loo_p"].idxmin()]
        rows.append(record("city_model", "smallest_loo_predictive_p", float(smallest["loo_p"]), unit="probability",
                           p_value=float(smallest["loo_p"]), p_adjusted=float(u["loo_holm"].min()), **regions,
                           method="two-sided predictive mid-p under the city model fitted to the other units (leave one "
                                  f"out); p_adjusted: the smallest Holm-adjusted across {k}",
                           note=f"region {smallest['region_iso']}; regions flagged after Holm: {int(u['loo_flagged'].sum())}"))
        return rows

    def region_rows(self) -> list[dict]:
        """Each unit's predictive p under the city model (and each city's against the regions) as tidy records."""
        rows = []
        for u in self.units.itertuples():
            one = {"subject": u.region_iso, "n": u.size, "n_unit": "preschools"}
            rows.append(record("city_model", "predictive_p", u.predictive_p, unit="probability", p_value=u.predictive_p,
                               p_adjusted=u.p_holm, method="two-sided predictive mid-p under the city model fitted to "
                                                           "all units (in-sample); Holm across units",
                               note="flagged" if u.flagged else "", **one))
            rows.append(record("city_model", "loo_predictive_p", u.loo_p, unit="probability", p_value=u.loo_p,
                               p_adjusted=u.loo_holm, method="two-sided predictive mid-p under the city model fitted to "
                                                             "the other units (leave one out); Holm across units",
                               note="flagged" if u.loo_flagged else "", **one))
            if not np.isnan(u.against_regions_p):
                ar = self.against_regions
                rows.append(record("city_model", "p_against_the_regions", u.against_regions_p, unit="probability",
                                   p_value=u.against_regions_p, method="two-sided predictive mid-p of the city against "
                                                                       f"one Beta fitted to the {ar['n']} regions without "
                                                                       f"the cities (mean {ar['mu']:.3f}, ICC {ar['rho']:.3f})",
                                   note="how far the city lies from what the regions' own spread allows", **one))
        return rows


def _city_intercept_se(y, n, city) -> float:
    """Standard error of the cities' logit mean: the same model with the cities as the baseline."""
    X = np.column_stack([np.ones(len(y)), 1.0 - city])
    return float(betabinom.fit_regression(y, n, X)["coef_se"][0])


def city_model(data: pd.DataFrame, alpha: float = 0.05, confidence: float = 0.95, grid_points: int = 300) -> CityModel:
    """Beta-binomial regression with an indicator for the cities of republican significance
    (logit mean = b0 + b1 city, one common dispersion; :func:`analysis.stats.betabinom.fit_regression`):
    the likelihood-ratio test against one Beta (chi2_1), the ICC with and without the indicator with
    profile intervals, every unit's in-sample and leave-one-out predictive mid-p under it (Holm), each
    city's mid-p against a Beta fitted to the other regions alone, and funnel limits for each group
    (centred on its own mean)."""
    y, n = _counts(data)
    city = (data["type"] == CITY).to_numpy(dtype=float)
    X = np.column_stack([np.ones(len(y)), city])
    ones = X[:, :1]
    fit = betabinom.fit_regression(y, n, X)
    fit["city_intercept_se"] = _city_intercept_se(y, n, city)
    null = betabinom.fit_regression(y, n, ones)
    lr = max(0.0, 2 * (fit["loglik"] - null["loglik"]))
    p = np.array([betabinom.predictive_p([yi], [ni], betabinom.as_fit(float(m), fit["rho"]))[0]
                  for yi, ni, m in zip(y, n, fit["mu"], strict=True)])
    p_holm, flagged = _holm(p, alpha)
    loo = betabinom.loo_predictive_p(y, n, X)
    loo_holm, loo_flagged = _holm(loo, alpha)
    regions_only = betabinom.fit(y[city == 0], n[city == 0])
    against = np.where(city == 1, betabinom.predictive_p(y, n, regions_only), np.nan)
    units = pd.DataFrame({"region_iso": data["region_iso"].to_numpy(), "type": data["type"].to_numpy(), "size": n,
                          "share": y / n, "mu": fit["mu"], "predictive_p": p, "p_holm": p_holm, "flagged": flagged,
                          "loo_p": loo, "loo_holm": loo_holm, "loo_flagged": loo_flagged, "against_regions_p": against})
    sizes = _grid(n, grid_points).astype(int)
    curve = {"size": sizes}
    for group, eta in ((OTHER, fit["coef"][0]), (CITY, fit["coef"][0] + fit["coef"][1])):
        mu = float(expit(eta))
        limits = betabinom.predictive_limits(betabinom.as_fit(mu, fit["rho"]), sizes, (0.001, 0.025, 0.975, 0.999))
        curve[f"{group}_centre"] = np.full(len(sizes), mu)
        for prob, name in ((0.025, "low_95"), (0.975, "high_95"), (0.001, "low_998"), (0.999, "high_998")):
            curve[f"{group}_{name}"] = limits[prob].to_numpy()
    return CityModel(fit=fit, null=null, lr=lr, lr_p=float(chi2_dist.sf(lr, 1)),
                     rho_ci=betabinom.profile_interval(y, n, X, "rho", confidence, fit),
                     rho_null_ci=betabinom.profile_interval(y, n, ones, "rho", confidence, null),
                     units=units, curve=pd.DataFrame(curve),
                     against_regions={"rho": regions_only["rho"], "mu": regions_only["mu"], "n": int((city == 0).sum())},
                     alpha=alpha, confidence=confidence)


# -- disparity indices with resampling intervals -------------------------------------------------

def _v_of(y: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Cramér's V of k x 2 tables (rows of ``y`` with totals ``n``), vectorised over the rows."""
    total = n.sum()
    p = y.sum(axis=-1, keepdims=True) / total
    x2 = np.sum((y - n * p) ** 2 / (n * p * (1 - p)), axis=-1)
    return np.sqrt(x2 / total)


def _moran_of(shares: np.ndarray, W: np.ndarray) -> np.ndarray:
    z = shares - shares.mean(axis=-1, keepdims=True)
    return len(W) / W.sum() * np.sum((z @ W) * z, axis=-1) / np.sum(z * z, axis=-1)


def _statistics(y, n, sen, groups, weight_matrices: dict) -> dict:
    """The statistics the resampling intervals are computed for, along the last axis of ``y``."""
    out = inequality.disparity_indices(y, n, groups)
    shares = np.asarray(y, dtype=float) / n
    out["cramers_v"] = _v_of(np.asarray(y, dtype=float), n)
    out["gini_weighted_sen_children"] = inequality.gini(shares, sen)
    out["share_seen_by_sen_child"] = (shares * sen).sum(axis=-1) / sen.sum()
    for name, W in weight_matrices.items():
        out[f"morans_i_{name}"] = _moran_of(shares, W)
    return out


def _resampled(y, n, sen, groups, weight_matrices, n_resamples, rng, confidence) -> pd.DataFrame:
    draws = inequality.binomial_resample(y, n, n_resamples, rng)
    return inequality.basic_intervals(_statistics(y, n, sen, groups, weight_matrices),
                                      _statistics(draws, n, sen, groups, weight_matrices), confidence)


@dataclass
class Indices:
    """Disparity indices with their basic intervals from binomial resampling within units."""

    table: pd.DataFrame
    units: int
    n_resamples: int
    seed: int
    confidence: float

    def rows(self) -> list[dict]:
        """The disparity indices with their basic intervals as tidy records."""
        rows = []
        regions = {"n": self.units, **REGIONS}
        for row in self.table.itertuples():
            if not row.index.startswith(("cv_", "max_min", "gini_", "theil")) or row.index.endswith("sen_children"):
                continue
            weighted = row.index.endswith("_weighted")
            rows.append(record(
                "disparity_index", row.index, row.estimate, unit="index", ci_low=row.ci_low, ci_high=row.ci_high,
                conf_level=self.confidence, ci_mcse=row.ci_mcse, resamples=self.n_resamples, se=row.sd,
                se_method="SD of the binomial resamples", **regions,
                method=(f"{'weighted by preschools' if weighted else 'each region counts once'}; basic interval "
                        f"(2 estimate - resampled quantiles) from binomial resamples of each region's count "
                        f"(seed {self.seed})"),
                note=f"bias (resampled mean - estimate) = {format_value(row.bias, {'significant': 2}, row.bias_mcse)}, "
                     "corrected by the basic interval; regions not resampled: they are the whole population"))
        return rows


def disparity_indices(data: pd.DataFrame, *, seed: int, n_resamples: int, confidence: float = 0.95) -> Indices:
    """CV, max/min ratio, Gini and Theil (unweighted and weighted by preschools, with the Theil split
    between cities and regions) and Cramér's V, each with its basic interval, resampling SD and bias
    from ``n_resamples`` draws of every unit's count from its own binomial (its own stream of
    ``seed``)."""
    y, n = _counts(data)
    groups = np.where(data["type"] == CITY, CITY, OTHER)
    sen = data["sen_children"].to_numpy(dtype=float)
    table = _resampled(y, n, sen, groups, {}, n_resamples, rng_for(seed, "indices"), confidence)
    return Indices(table=table, units=len(y), n_resamples=n_resamples, seed=seed, confidence=confidence)


# -- Lorenz curve ---------------------------------------------------------------------------------

def lorenz(data: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The Lorenz curve of preschools with inclusive conditions against all public preschools
    (units ordered by share) and its Gini (equal to the Gini weighted by preschools)."""
    y, n = _counts(data)
    curve = inequality.lorenz_curve(n, y)
    curve.insert(1, "region_iso", ["" if o < 0 else data["region_iso"].iloc[o] for o in curve["order"]])
    return curve, inequality.lorenz_gini(curve)


# -- Moran's I ------------------------------------------------------------------------------------

#: The Moran's I variants: (weights, units, pairs). The first is the main analysis.
MORAN_VARIANTS = [(w, units, pairs) for units in ("all", "without_cities") for pairs in ("all", "certain")
                  for w in spatial.STYLES]


def variant_name(style: str, units: str, pairs: str) -> str:
    """'row_all_all' -> 'row-standardised weights, all units, all pairs' style key for a variant."""
    return f"{style}_weights" + ("" if units == "all" else "_without_cities") + ("" if pairs == "all" else "_certain_pairs")


def uncertain(adjacency: pd.DataFrame) -> pd.Series:
    """Which neighbour pairs are marked uncertain (none where the list has no ``status`` column)."""
    if "status" not in adjacency:
        return pd.Series(False, index=adjacency.index)
    return adjacency["status"] == "uncertain"


def pairs_of(adjacency: pd.DataFrame, codes: list[str], pairs: str) -> list[tuple[str, str]]:
    """The neighbour pairs among ``codes``: every pair (``pairs="all"``) or only those not marked
    uncertain (``"certain"``)."""
    rows = adjacency if pairs == "all" else adjacency[~uncertain(adjacency)]
    return [(a, b) for a, b in zip(rows["region_iso_a"], rows["region_iso_b"], strict=True) if a in codes and b in codes]


@dataclass
class Moran:
    """Moran's I of the shares in every variant, with permutation p-values and resampling intervals."""

    variants: pd.DataFrame
    drivers: dict
    n_pairs: int
    n_uncertain: int
    confidence: float

    @property
    def main(self) -> pd.Series:
        """The main variant: row-standardised weights, all units, all pairs."""
        return self.variants.iloc[0]

    def rows(self) -> list[dict]:
        """The main Moran's I as a tidy record."""
        m = self.main
        return [record("morans_i", "inclusive_share", m["I"], unit="index", p_value=m["p"], p_mcse=m["p_mcse"],
                       ci_low=m["ci_low"], ci_high=m["ci_high"], conf_level=self.confidence, ci_mcse=m["ci_mcse"],
                       se=m["sd"], se_method="SD of the binomial resamples",
                       resamples=m["permutations"], n=int(m["units"]), n_unit="regions",
                       method=f"Moran's I, row-standardised queen contiguity ({self.n_pairs} pairs of "
                              f"data/raw/region_adjacency.csv); two-sided permutation p; E[I] = {m['expected']:.4f}; "
                              "basic interval from binomial resamples of each region's count (counting noise only)",
                       note=f"the three city-region pairs contribute {self.drivers['city_pairs_share']:.0%} of the "
                            "cross-product sum; variants in 40_sensitivity.csv")]

    def sensitivity_rows(self, variant_subject) -> list[dict]:
        """Every variant of Moran's I as a tidy record, its subject named by ``variant_subject``."""
        rows = []
        for v in self.variants.itertuples():
            rows.append(record("morans_i", "inclusive_share", v.I, subject=variant_subject(v.variant), unit="index",
                               ci_low=v.ci_low, ci_high=v.ci_high, conf_level=self.confidence, ci_mcse=v.ci_mcse,
                               se=v.sd, se_method="SD of the binomial resamples", p_value=v.p, p_mcse=v.p_mcse,
                               resamples=v.permutations, n=int(v.units), n_unit="regions",
                               method=f"Moran's I, {v.style} weights over {v.pairs} neighbour pairs; two-sided "
                                      f"permutation p; E[I] = {v.expected:.4f}; basic interval from binomial resamples "
                                      "of each region's count",
                               note=v.note))
        return rows


def moran(data: pd.DataFrame, adjacency: pd.DataFrame, *, seed: int, n_resamples: int = 2000,
          n_permutations: int = N_PERMUTATIONS, confidence: float = 0.95) -> Moran:
    """Moran's I of the shares (:mod:`analysis.stats.spatial`) in every variant of
    :data:`MORAN_VARIANTS`: row-standardised or binary weights, all 20 units or without the three
    cities, all neighbour pairs or only those not marked uncertain in ``adjacency``; each with its
    two-sided permutation p (``n_permutations``, its Monte-Carlo error) and a basic interval from
    binomial resampling of the counts; and what drives the sign: the share of the cross-product sum
    z' W z that the city-region pairs contribute under the main (row-standardised) weights."""
    rng = rng_for(seed, "moran")
    codes_all = list(data["region_iso"])
    y, n = _counts(data)
    rows = []
    for style, units, pairs in MORAN_VARIANTS:
        keep = np.ones(len(y), bool) if units == "all" else (data["type"] != CITY).to_numpy()
        codes = [c for c, k in zip(codes_all, keep, strict=True) if k]
        chosen = pairs_of(adjacency, codes, pairs)
        W = spatial.weights(chosen, codes, style)
        shares = y[keep] / n[keep]
        test = spatial.moran_test(shares, W, n_permutations, rng)
        draws = inequality.binomial_resample(y[keep], n[keep], n_resamples, rng) / n[keep]
        ci = inequality.basic_intervals({"I": test["I"]}, {"I": _moran_of(draws, W)}, confidence).iloc[0]
        rows.append({"variant": variant_name(style, units, pairs), "style": "row-standardised" if style == "row" else "binary",
                     "units_kept": units, "pairs": f"{len(chosen)} ({'all' if pairs == 'all' else 'uncertain ones left out'})",
                     "units": int(keep.sum()), "n_pairs": len(chosen), "I": test["I"], "expected": test["expected"],
                     "p": test["p_permutation"], "p_mcse": test["p_permutation_se"], "permutations": n_permutations,
                     "ci_low": ci["ci_low"], "ci_high": ci["ci_high"], "ci_mcse": ci["ci_mcse"], "sd": ci["sd"],
                     "note": ("all 20 units" if units == "all" else "the 17 regions, the three cities left out")
                             + ("" if pairs == "all" else "; the pairs marked uncertain left out")})
    main_pairs = pairs_of(adjacency, codes_all, "all")
    W = spatial.weights(main_pairs, codes_all, "row")
    contributions = spatial.pair_contributions(y / n, W, codes_all)
    cities = set(data.loc[data["type"] == CITY, "region_iso"])
    total = sum(c for _, _, c in contributions)
    city_part = sum(c for a, b, c in contributions if a in cities or b in cities)
    # shown as they are in the notebook: rounded, so that no floating-point noise digit is printed
    return Moran(variants=pd.DataFrame(rows),
                 drivers={"total": round(total, 6), "city_pairs": round(city_part, 6),
                          "city_pairs_share": round(city_part / total, 6),
                          "negative_pairs": sum(1 for *_, c in contributions if c < 0), "pairs": len(contributions)},
                 n_pairs=len(main_pairs), n_uncertain=int(uncertain(adjacency).sum()),
                 confidence=confidence)


# -- sensitivity ----------------------------------------------------------------------------------

def _q_profile_tau2(theta, v, confidence) -> tuple[float, float]:
    """Q-profile interval of the between-unit variance tau^2 (Viechtbauer 2007): the tau^2 at which
    the generalised Q statistic equals the chi2_{k-1} quantiles."""
    k = len(theta)

    def q_of(tau2):
        w = 1 / (v + tau2)
        mean = np.sum(w * theta) / w.sum()
        return float(np.sum(w * (theta - mean) ** 2))

    def solve(target):
        if q_of(0.0) < target:
            return 0.0
        high = 1.0
        while q_of(high) > target:
            high *= 4
        return float(brentq(lambda t2: q_of(t2) - target, 0.0, high, xtol=1e-12))

    tail = (1 - confidence) / 2
    return solve(chi2_dist.ppf(1 - tail, k - 1)), solve(chi2_dist.ppf(tail, k - 1))


def _logit_rows(y, n, confidence, alpha) -> list[dict]:
    logit = funnel.logit_random_effects(y, n)
    yy, nn = (y + 0.5, n + 1.0) if np.any((y == 0) | (y == n)) else (y.astype(float), n.astype(float))
    theta = np.log(yy / (nn - yy))
    v = 1 / yy + 1 / (nn - yy)
    k = len(theta)
    w = 1 / v
    q = float(np.sum(w * (theta - np.sum(w * theta) / w.sum()) ** 2))
    q_p = float(chi2_dist.sf(q, k - 1))
    t2_low, t2_high = _q_profile_tau2(theta, v, confidence)
    typical = (k - 1) * w.sum() / (w.sum() ** 2 - (w ** 2).sum())  # Higgins & Thompson's typical within variance

    def i2(t2):
        return t2 / (t2 + typical)

    w_re = 1 / (v + logit["tau2"])
    pooled = np.sum(w_re * theta) / w_re.sum()
    pooled_se = 1 / np.sqrt(w_re.sum())
    zc = norm.ppf(0.5 + confidence / 2)
    z_p = 2 * norm.sf(np.abs(logit["z"]))
    holm = multipletests(z_p, alpha=alpha, method="holm")[1]
    common = {"subject": "logit_scale", "n": k, **REGIONS}
    tau_low, tau_high = np.sqrt(t2_low), np.sqrt(t2_high)
    return [
        record("sensitivity", "logit_tau", logit["tau"], unit="logit", ci_low=tau_low, ci_high=tau_high,
               conf_level=confidence, se=interval_se(tau_low, tau_high, confidence),
               se_method="Q-profile interval half-width / z", p_value=q_p,
               method="DerSimonian-Laird random effects on the logit shares; interval: Q-profile (Viechtbauer 2007); "
                      "p: Cochran's Q test of no between-region variance", **common),
        record("sensitivity", "logit_i2", logit["i2"], unit="proportion", ci_low=i2(t2_low), ci_high=i2(t2_high),
               conf_level=confidence, se=interval_se(i2(t2_low), i2(t2_high), confidence),
               se_method="Q-profile interval half-width / z", p_value=q_p,
               method="I^2 = tau^2 / (tau^2 + typical within-region variance) (Higgins & Thompson 2002); interval "
                      "from the Q-profile interval of tau^2", **common),
        record("sensitivity", "logit_pooled_share", logit["pooled_share"], unit="proportion",
               ci_low=float(expit(pooled - zc * pooled_se)), ci_high=float(expit(pooled + zc * pooled_se)),
               conf_level=confidence, se=float(pooled_se * logit["pooled_share"] * (1 - logit["pooled_share"])),
               se_method="random-effects variance (delta method)",
               method="random-effects pooled logit, back-transformed; Wald interval on the logit scale", **common),
        record("sensitivity", "logit_largest_abs_z", float(np.max(np.abs(logit["z"]))), unit="standard deviations",
               p_value=float(z_p[np.argmax(np.abs(logit["z"]))]), p_adjusted=float(holm.min()),
               method="each region's z against the pooled logit with tau^2 added; two-sided normal p; p_adjusted: "
                      f"the smallest Holm-adjusted across {k}", **common,
               note=f"units beyond the 99.8% limits: {logit['outside']}"),
    ]


def _model_rows(y, n, subject, alpha, confidence, chi2_p) -> list[dict]:
    ones = np.ones((len(y), 1))
    fit = betabinom.fit(y, n)
    regression = betabinom.fit_regression(y, n, ones)
    rho_ci = betabinom.profile_interval(y, n, ones, "rho", confidence, regression)
    sd_ci = betabinom.profile_interval(y, n, ones, "sd", confidence, regression)
    p = betabinom.predictive_p(y, n, fit)
    loo = betabinom.loo_predictive_p(y, n, ones)
    common = {"subject": subject, "n": len(y), **REGIONS}
    return [
        record("sensitivity", "icc", fit["rho"], unit="index", ci_low=rho_ci[0], ci_high=rho_ci[1],
               conf_level=confidence, se=regression["rho_se"], se_method="observed information (delta method)",
               p_value=fit["lr_p_value"], method="beta-binomial ICC; interval: profile likelihood; p: likelihood ratio "
                                                 "against the binomial (boundary)", **common),
        record("sensitivity", "sd_of_true_shares", fit["sd_true"], unit="proportion", ci_low=sd_ci[0],
               ci_high=sd_ci[1], conf_level=confidence, se=interval_se(*sd_ci, confidence),
               se_method="profile interval half-width / z", p_value=fit["lr_p_value"],
               method="SD of the true shares; interval: profile likelihood; p: as the ICC's", **common),
        record("sensitivity", "smallest_holm_p_in_sample", float(multipletests(p, alpha=alpha, method="holm")[1].min()),
               unit="probability", p_value=float(p.min()),
               p_adjusted=float(multipletests(p, alpha=alpha, method="holm")[1].min()),
               method="beta-binomial predictive mid-p, in-sample; the smallest Holm-adjusted", **common),
        record("sensitivity", "smallest_holm_p_leave_one_out", float(multipletests(loo, alpha=alpha, method="holm")[1].min()),
               unit="probability", p_value=float(loo.min()),
               p_adjusted=float(multipletests(loo, alpha=alpha, method="holm")[1].min()),
               method="beta-binomial predictive mid-p, leave one out; the smallest Holm-adjusted", **common),
    ]


def sensitivity(data: pd.DataFrame, moran_result: Moran, *, seed: int, n_resamples: int, alpha: float = 0.05,
                confidence: float = 0.95) -> pd.DataFrame:
    """The key statistics again, each with its interval and p (where a null is defined): on all
    units and without the three cities (ICC and SD of the true shares with profile intervals and the
    likelihood-ratio p; the smallest Holm-adjusted predictive p, in-sample and leave-one-out;
    Cramér's V, the Gini unweighted, weighted by preschools and by children with SEN, and the share
    seen by the average child with SEN, with basic resampling intervals, p the chi-square test of one
    common share); Moran's I in every variant of ``moran_result``; and on the logit scale
    (DerSimonian-Laird random effects: tau and I^2 with Q-profile intervals and Cochran's Q p, the
    pooled share, the largest |z|). One tidy record per number."""
    rng = rng_for(seed, "sensitivity")
    y_all, n_all = _counts(data)
    sen_all = data["sen_children"].to_numpy(dtype=float)
    rows = []
    for subject, keep in (("all_regions", np.ones(len(data), bool)), ("without_cities", (data["type"] != CITY).to_numpy())):
        y, n, sen = y_all[keep], n_all[keep], sen_all[keep]
        chi2 = disparity.chi2_homogeneity(y, n)
        rows += _model_rows(y, n, subject, alpha, confidence, chi2["p_value"])
        groups = np.where(data["type"][keep] == CITY, CITY, OTHER)
        table = _resampled(y, n, sen, groups, {}, n_resamples, rng, confidence).set_index("index")
        for name, unit, p in (("cramers_v", "index", chi2["p_value"]), ("gini_unweighted", "index", chi2["p_value"]),
                              ("gini_weighted", "index", chi2["p_value"]),
                              ("gini_weighted_sen_children", "index", chi2["p_value"]),
                              ("share_seen_by_sen_child", "proportion", None)):
            r = table.loc[name]
            rows.append(record("sensitivity", name if name != "gini_weighted" else "gini_weighted_preschools",
                               r["estimate"], subject=subject, unit=unit, ci_low=r["ci_low"], ci_high=r["ci_high"],
                               conf_level=confidence, ci_mcse=r["ci_mcse"], se=r["sd"],
                               se_method="SD of the binomial resamples", p_value=p, resamples=n_resamples,
                               n=len(y), **REGIONS,
                               method="basic interval from binomial resamples of each region's count"
                                      + ("; p: chi-square test of one common share" if p is not None else
                                         "; no null hypothesis: a description"),
                               note="the share of public preschools with inclusive conditions in the region of the "
                                    "average child with SEN" if name == "share_seen_by_sen_child" else ""))
    rows += moran_result.sensitivity_rows(lambda v: v)
    rows += _logit_rows(y_all, n_all, confidence, alpha)
    return frame(rows)


# -- all of it -------------------------------------------------------------------------------------

@dataclass
class RegionalResults:
    """Every piece of notebook 40, for its tidy tables, figures and summary."""

    data: pd.DataFrame
    homogeneity: dict
    shares: Shares
    one_beta: OneBeta
    cities: CityModel
    indices: Indices
    lorenz: pd.DataFrame
    lorenz_gini: float
    moran: Moran
    sensitivity: pd.DataFrame
    params: dict = field(default_factory=dict)

    @property
    def groups(self) -> dict:
        """Cities against the other regions, and the regions below the national share."""
        y, n = _counts(self.data)
        city = (self.data["type"] == CITY).to_numpy()
        below = y / n < self.shares.national["share"]
        return {"city_share": y[city].sum() / n[city].sum(), "region_share": y[~city].sum() / n[~city].sum(),
                "n_below": int(below.sum()), "below_preschools": n[below].sum() / n.sum(),
                "below_inclusive": y[below].sum() / y.sum()}

    def tidy(self) -> pd.DataFrame:
        """The national statistics (one record per number), assembled from the pieces."""
        k = len(self.data)
        lorenz_sd = self.indices.table.set_index("index").loc["gini_weighted"]
        return frame([
            *self.shares.rows(), *homogeneity_rows(self.homogeneity, self.indices.table, self.params["confidence"]),
            *self.one_beta.rows(), *self.cities.rows(), *self.moran.rows(), *self.indices.rows(),
            record("lorenz", "gini_from_lorenz_curve", self.lorenz_gini, unit="index", n=k, **REGIONS,
                   se=lorenz_sd["sd"], se_method="SD of the binomial resamples (as the Gini weighted by preschools)",
                   method="1 - sum (X_k - X_k-1)(Y_k + Y_k-1), regions ordered by share",
                   note="equals the Gini weighted by preschools"),
        ])

    def region_table(self) -> pd.DataFrame:
        """The statistics of each unit (one record per number)."""
        return frame([*self.shares.region_rows(), *self.one_beta.region_rows(), *self.cities.region_rows()])


def analyse(inclusion: pd.DataFrame, regions: pd.DataFrame, adjacency: pd.DataFrame, *, seed: int,
            n_resamples: int, confidence: float = 0.95, alpha: float = 0.05, grid_points: int = 300) -> RegionalResults:
    """Every analysis of notebook 40 on Table 1, in the notebook's order (each with its own random
    stream of ``seed``), as one :class:`RegionalResults`."""
    data = prepare(inclusion, regions)
    moran_result = moran(data, adjacency, seed=seed, n_resamples=n_resamples, confidence=confidence)
    curve, gini = lorenz(data)
    return RegionalResults(
        data=data, homogeneity=homogeneity(data, alpha), shares=shares(data, confidence),
        one_beta=one_beta(data, alpha, confidence, grid_points), cities=city_model(data, alpha, confidence, grid_points),
        indices=disparity_indices(data, seed=seed, n_resamples=n_resamples, confidence=confidence),
        lorenz=curve, lorenz_gini=gini, moran=moran_result,
        sensitivity=sensitivity(data, moran_result, seed=seed, n_resamples=n_resamples, alpha=alpha,
                                confidence=confidence),
        params={"seed": seed, "n_resamples": n_resamples, "confidence": confidence, "alpha": alpha})
