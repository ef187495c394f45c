"""Funnel plots with exact limits and overdispersion (Spiegelhalter 2005).

References: D. J. Spiegelhalter (2005), "Funnel plots for comparing institutional performance",
Statistics in Medicine 24:1185-1202 (exact limits, Appendix A.1); D. J. Spiegelhalter (2005),
"Handling over-dispersion of performance indicators", Quality and Safety in Health Care
14:347-351 (winsorised z-scores, multiplicative phi, additive tau^2).

Exact limits: for a target theta0, a size n and a probability p, let r_p be the smallest count
with F(r_p) >= p (F the binomial or Poisson distribution function); the limit interpolates,
``(r_p - a) / n`` with ``a = (F(r_p) - p) / (F(r_p) - F(r_p - 1))``, so that the funnel is a
smooth curve. Two-sided 95% limits use p = 0.025 and 0.975, 99.8% limits 0.001 and 0.999.

Overdispersion: z_i = (y_i - theta0) / s_i; the most extreme ``fraction`` of z-scores at each
end is winsorised (``scipy.stats.mstats.winsorize``: with 20 units and 10%, the two lowest are
set to the third lowest and the two highest to the third highest), and phi = mean(z_w^2). With no
overdispersion I * phi is approximately chi-square; because the target is estimated from the same
units, the test uses I - 1 degrees of freedom (Spiegelhalter uses I for an external target).
If overdispersion is present, z-scores are divided by sqrt(phi) (multiplicative model) and the
limits widened to theta0 +- z_q sqrt(phi) s(n); the additive random-effects alternative,
tau^2 = (I phi - (I - 1)) / (sum w - sum w^2 / sum w) with w = 1 / s^2, is reported beside it.
Neither library offers these, so they are coded here and tested in tests/test_stats_funnel.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binom, chi2, norm, poisson
from scipy.stats.mstats import winsorize
from statsmodels.stats.multitest import multipletests

#: Two-sided coverage -> (lower, upper) probabilities of the limits.
LEVELS = {0.95: (0.025, 0.975), 0.998: (0.001, 0.999)}


def _interpolated(dist, prob: float, scale) -> np.ndarray:
    r = np.asarray(dist.ppf(prob), dtype=float)
    f_r = dist.cdf(r)
    f_below = dist.cdf(r - 1)
    a = (f_r - prob) / (f_r - f_below)
    return (r - a) / scale


def binomial_limit(target: float, n, prob: float) -> np.ndarray:
    """Exact binomial funnel limit (as a proportion) at probability ``prob`` for sizes ``n``."""
    n = np.asarray(n, dtype=float)
    return _interpolated(binom(n, target), prob, n)


def poisson_limit(rate: float, exposure, prob: float) -> np.ndarray:
    """Exact Poisson funnel limit (as a rate per unit of exposure) at probability ``prob``."""
    exposure = np.asarray(exposure, dtype=float)
    return _interpolated(poisson(rate * exposure), prob, exposure)


def binomial_se(target: float, n) -> np.ndarray:
    return np.sqrt(target * (1 - target) / np.asarray(n, dtype=float))


def poisson_se(rate: float, exposure) -> np.ndarray:
    return np.sqrt(rate / np.asarray(exposure, dtype=float))


def overdispersion(z, se, fraction: float = 0.1, target_estimated: bool = True) -> dict:
    """Winsorised dispersion factor phi, its chi-square test and the additive tau^2."""
    z = np.asarray(z, dtype=float)
    se = np.asarray(se, dtype=float)
    units = len(z)
    z_w = np.asarray(winsorize(z, limits=(fraction, fraction)), dtype=float)
    phi = float(np.mean(z_w ** 2))
    dof = units - 1 if target_estimated else units
    statistic = units * phi
    w = 1 / se ** 2
    tau2 = max(0.0, float((statistic - (units - 1)) / (w.sum() - (w ** 2).sum() / w.sum())))
    return {"phi": phi, "statistic": statistic, "dof": dof, "p_value": float(chi2.sf(statistic, dof)),
            "tau2": tau2, "units": units, "winsorised_each_end": int(round(fraction * units)),
            "z_winsorised": z_w}


def funnel_units(estimate, se, target: float, fraction: float = 0.1, alpha: float = 0.05,
                 correction: str = "holm") -> tuple[pd.DataFrame, dict]:
    """z-scores, overdispersion-adjusted z-scores, p-values and the corrected flags of each unit.

    If the overdispersion test rejects at ``alpha``, z is divided by sqrt(phi); otherwise the
    plain z is used (phi is still reported). Two-sided normal p-values are corrected across the
    units with ``correction`` (statsmodels ``multipletests``).
    """
    estimate = np.asarray(estimate, dtype=float)
    se = np.asarray(se, dtype=float)
    z = (estimate - target) / se
    od = overdispersion(z, se, fraction)
    od["present"] = bool(od["p_value"] < alpha)
    scale = np.sqrt(od["phi"]) if od["present"] else 1.0
    z_adj = z / scale
    p = 2 * norm.sf(np.abs(z_adj))
    reject, p_adj, _, _ = multipletests(p, alpha=alpha, method=correction)
    z_re = (estimate - target) / np.sqrt(se ** 2 + od["tau2"])
    p_re = 2 * norm.sf(np.abs(z_re))
    units = pd.DataFrame({
        "estimate": estimate, "se": se, "z": z, "z_winsorised": od.pop("z_winsorised"), "z_adjusted": z_adj,
        "p_value": p, "p_adjusted": p_adj, "flagged": reject,
        "z_random_effects": z_re, "p_random_effects": p_re,
        "p_random_effects_adjusted": multipletests(p_re, alpha=alpha, method=correction)[1],
    })
    od["scale_applied"] = float(scale)
    return units, od


def widened_limits(target: float, se, coverage: float, phi: float = 1.0, tau2: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Normal-approximation limits widened multiplicatively (phi) or additively (tau2)."""
    q = norm.ppf(1 - (1 - coverage) / 2)
    half = q * np.sqrt(phi * np.asarray(se, dtype=float) ** 2 + tau2)
    return target - half, target + half


def binomial_funnel(target: float, sizes, phi: float = 1.0, tau2: float = 0.0,
                    coverages=(0.95, 0.998)) -> pd.DataFrame:
    """Funnel limits over ``sizes``: exact binomial, multiplicative and additive widened."""
    sizes = np.asarray(sizes, dtype=float)
    out = {"size": sizes, "target": np.full(len(sizes), target)}
    se = binomial_se(target, sizes)
    for coverage in coverages:
        low, high = LEVELS[coverage]
        tag = _tag(coverage)
        out[f"exact_low_{tag}"] = binomial_limit(target, sizes, low)
        out[f"exact_high_{tag}"] = binomial_limit(target, sizes, high)
        out[f"phi_low_{tag}"], out[f"phi_high_{tag}"] = widened_limits(target, se, coverage, phi=phi)
        out[f"tau_low_{tag}"], out[f"tau_high_{tag}"] = widened_limits(target, se, coverage, tau2=tau2)
    return pd.DataFrame(out)


def poisson_funnel(rate: float, exposures, phi: float = 1.0, coverages=(0.95, 0.998)) -> pd.DataFrame:
    """Funnel limits over ``exposures`` for a rate: exact Poisson and multiplicative widened."""
    exposures = np.asarray(exposures, dtype=float)
    out = {"exposure": exposures, "target": np.full(len(exposures), rate)}
    se = poisson_se(rate, exposures)
    for coverage in coverages:
        low, high = LEVELS[coverage]
        tag = _tag(coverage)
        out[f"exact_low_{tag}"] = poisson_limit(rate, exposures, low)
        out[f"exact_high_{tag}"] = poisson_limit(rate, exposures, high)
        out[f"phi_low_{tag}"], out[f"phi_high_{tag}"] = widened_limits(rate, se, coverage, phi=phi)
    return pd.DataFrame(out)


def _tag(coverage: float) -> str:
    return f"{coverage * 100:g}".replace(".", "")


def outside(values, low, high) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    return (values < np.asarray(low)) | (values > np.asarray(high))
