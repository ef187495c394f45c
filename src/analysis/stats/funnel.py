"""Funnel plots whose limits stay within [0, 100] %, the dispersion of rates, and the logit-scale check.

References: D. J. Spiegelhalter (2005), "Funnel plots for comparing institutional performance",
Statistics in Medicine 24:1185-1202 (exact limits, Appendix A.1); D. J. Spiegelhalter (2005),
"Handling over-dispersion of performance indicators", Quality and Safety in Health Care
14:347-351; R. DerSimonian and N. Laird (1986), "Meta-analysis in clinical trials", Controlled
Clinical Trials 7:177-188.

* :func:`binomial_limit`: exact binomial limits around a common share, for a unit of size n. For a
  target theta0, a size n and a probability p, let r_p be the smallest count with F(r_p) >= p
  (F the binomial distribution function); the limit interpolates, ``(r_p - a) / n`` with
  ``a = (F(r_p) - p) / (F(r_p) - F(r_p - 1))``, so that the funnel is a smooth curve. Two-sided 95%
  limits use p = 0.025 and 0.975, 99.8% limits 0.001 and 0.999. They assume one common share.
* :func:`funnel_curve`: those limits and the beta-binomial predictive limits
  (:func:`analysis.stats.betabinom.predictive_limits`) over a grid of sizes. Both are shares of a
  distribution on 0..n, so neither can leave [0, 1] (the normal limits widened by a dispersion
  factor this replaces ran from -90% to 178%).
* :func:`dispersion`: phi = the mean squared z-score of units against a common rate or share; for
  shares, 20 * phi is Pearson's chi-square of the regions x 2 table, so phi and the chi-square
  test are the same evidence, reported once.
* :func:`logit_random_effects`: the DerSimonian-Laird between-unit variance tau^2 of the logit
  shares, and each unit's z against the pooled logit with that variance added: the sensitivity
  check "on the logit scale" of notebook 40.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import binom, chi2, norm, poisson

from analysis.stats.betabinom import predictive_limits

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
    return np.clip(_interpolated(binom(n, target), prob, n), 0.0, 1.0)


def poisson_limit(rate: float, exposure, prob: float) -> np.ndarray:
    """Exact Poisson funnel limit (as a rate per unit of exposure) at probability ``prob`` (never below 0)."""
    exposure = np.asarray(exposure, dtype=float)
    return np.clip(_interpolated(poisson(rate * exposure), prob, exposure), 0.0, None)


def binomial_se(target: float, n) -> np.ndarray:
    """Binomial standard error sqrt(target (1 - target) / n) of a share at sizes ``n``."""
    return np.sqrt(target * (1 - target) / np.asarray(n, dtype=float))


def poisson_se(rate: float, exposure) -> np.ndarray:
    """Poisson standard error sqrt(rate / exposure) of a rate at exposures ``exposure``."""
    return np.sqrt(rate / np.asarray(exposure, dtype=float))


def tag(coverage: float) -> str:
    """'95' for 0.95, '998' for 0.998 (column names)."""
    return f"{coverage * 100:g}".replace(".", "")


def funnel_curve(target: float, sizes, bb_fit: dict, coverages=(0.95, 0.998)) -> pd.DataFrame:
    """Exact binomial and beta-binomial predictive limits (proportions) over ``sizes``."""
    sizes = np.asarray(sizes, dtype=float)
    out = {"size": sizes.astype(int), "target": np.full(len(sizes), target)}
    probs = [p for c in coverages for p in LEVELS[c]]
    bb = predictive_limits(bb_fit, sizes.astype(int), probs)
    for coverage in coverages:
        low, high = LEVELS[coverage]
        out[f"binom_low_{tag(coverage)}"] = binomial_limit(target, sizes, low)
        out[f"binom_high_{tag(coverage)}"] = binomial_limit(target, sizes, high)
        out[f"bb_low_{tag(coverage)}"] = bb[low].to_numpy()
        out[f"bb_high_{tag(coverage)}"] = bb[high].to_numpy()
    return pd.DataFrame(out)


def dispersion(z) -> dict:
    """phi = mean z^2 over the units and its chi-square test on k - 1 degrees of freedom (the
    target is estimated from the same units)."""
    z = np.asarray(z, dtype=float)
    units = len(z)
    statistic = float(np.sum(z ** 2))
    return {"phi": statistic / units, "statistic": statistic, "dof": units - 1,
            "p_value": float(chi2.sf(statistic, units - 1)), "units": units}


def outside(values, low, high) -> np.ndarray:
    """Which ``values`` lie below ``low`` or above ``high`` (elementwise)."""
    values = np.asarray(values, dtype=float)
    return (values < np.asarray(low)) | (values > np.asarray(high))


def logit_random_effects(successes, totals, coverage: float = 0.998) -> dict:
    """DerSimonian-Laird random effects on the logit shares (0.5 added to every cell when a count is
    0 or n): tau^2, I^2, the pooled share and the units outside the two-sided ``coverage`` limits."""
    y = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    if np.any((y == 0) | (y == n)):
        y, n = y + 0.5, n + 1.0
    theta = np.log(y / (n - y))
    v = 1 / y + 1 / (n - y)
    w = 1 / v
    pooled = np.sum(w * theta) / w.sum()
    q = float(np.sum(w * (theta - pooled) ** 2))
    k = len(theta)
    tau2 = max(0.0, (q - (k - 1)) / (w.sum() - (w ** 2).sum() / w.sum()))
    w_re = 1 / (v + tau2)
    pooled_re = np.sum(w_re * theta) / w_re.sum()
    z = (theta - pooled_re) / np.sqrt(v + tau2)
    crit = norm.ppf(0.5 + coverage / 2)
    return {"tau2": tau2, "tau": float(np.sqrt(tau2)), "i2": max(0.0, (q - (k - 1)) / q) if q > 0 else 0.0,
            "pooled_share": float(1 / (1 + np.exp(-pooled_re))), "z": z, "outside": int(np.sum(np.abs(z) > crit)),
            "coverage": coverage}
