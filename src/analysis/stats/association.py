"""Region-level associations of notebook 41: chosen in advance, few, and honest about n = 20.

:data:`PLANNED_ASSOCIATIONS` is the complete list, fixed before any of them was computed; the
notebook shows it before computing. Each is Spearman's rho with

* a permutation p-value (``scipy.stats.permutation_test``, pairings permuted, two-sided),
* a bootstrap interval (``scipy.stats.bootstrap``, regions resampled in pairs, BCa),
* Holm's correction across the planned associations (``statsmodels`` ``multipletests``),

and :func:`power_spearman` states what 20 regions can detect at all.

Two warnings apply to every row. Ratios that share a term (a denominator, or a count that is the
numerator of one and the denominator of the other) are correlated by construction even when the
counts are unrelated (Pearson 1897, "spurious correlation"); the ``shared_term`` of each planned
association names it. And a region-level correlation says nothing about preschools, teachers or
children inside the regions (the ecological fallacy, Robinson 1950).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.stats import bootstrap, norm, permutation_test, rankdata
from statsmodels.stats.multitest import multipletests

from analysis.stats.montecarlo import proportion_mcse, quantile_mcse


@dataclass(frozen=True)
class Association:
    """One planned association: two region-level variables and why they are compared."""

    key: str
    x: str
    y: str
    question: str
    shared_term: str


#: The associations of notebook 41, written down before computing any of them (at most three).
#:
#: 1. ``share_vs_state_shortage_per_sen``: do regions where more public preschools have inclusive
#:    conditions have a smaller (or larger) state-preschool teacher shortage per 100 children with
#:    SEN? No shared term: the share is preschools_inclusive / preschools_total, the ratio
#:    shortage_state / sen_children.
#: 2. ``share_vs_sen_per_preschool``: do regions with more children with SEN per public preschool
#:    have a higher inclusive share? Both ratios divide by preschools_total (shared denominator):
#:    a positive correlation is partly built in.
#: 3. ``share_vs_state_shortage_per_inclusive``: do regions with a higher inclusive share have a
#:    smaller state-preschool shortage per preschool with inclusive conditions? preschools_inclusive
#:    is the numerator of the share and the denominator of the other ratio: a negative correlation
#:    is partly built in.
#:
#: The state-preschool shortage (Table 2, shortage_state) is used because Table 1 counts public
#: preschools and their children only; the total shortage includes private preschools.
PLANNED_ASSOCIATIONS: tuple[Association, ...] = (
    Association("share_vs_state_shortage_per_sen", "inclusive_share", "state_shortage_per_100_sen",
                "inclusive share against state-preschool teacher shortage per 100 children with SEN",
                "none"),
    Association("share_vs_sen_per_preschool", "inclusive_share", "sen_per_preschool",
                "inclusive share against children with SEN per public preschool",
                "preschools_total is the denominator of both ratios"),
    Association("share_vs_state_shortage_per_inclusive", "inclusive_share", "state_shortage_per_inclusive",
                "inclusive share against state-preschool teacher shortage per preschool with inclusive conditions",
                "preschools_inclusive is the numerator of one ratio and the denominator of the other"),
)


def spearman_rho(x, y, axis: int = -1) -> np.ndarray:
    """Spearman's rho along ``axis`` (vectorised; average ranks for ties)."""
    rx = rankdata(x, axis=axis)
    ry = rankdata(y, axis=axis)
    rx = rx - rx.mean(axis=axis, keepdims=True)
    ry = ry - ry.mean(axis=axis, keepdims=True)
    return (rx * ry).sum(axis=axis) / np.sqrt((rx ** 2).sum(axis=axis) * (ry ** 2).sum(axis=axis))


def spearman_test(x, y, n_permutations: int, n_bootstrap: int, rng: np.random.Generator,
                  confidence: float = 0.95) -> dict:
    """Spearman's rho, its permutation p-value and its paired bootstrap (BCa) interval."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    rho = float(spearman_rho(x, y))
    perm = permutation_test((y,), lambda b, axis=-1: spearman_rho(x, b, axis=axis),
                            permutation_type="pairings", n_resamples=n_permutations, vectorized=True,
                            alternative="two-sided", rng=rng)
    boot = bootstrap((x, y), lambda a, b, axis=-1: spearman_rho(a, b, axis=axis), paired=True, vectorized=True,
                     n_resamples=n_bootstrap, confidence_level=confidence, method="BCa", rng=rng)
    exact = n_permutations >= math.factorial(len(x))
    low, high = float(boot.confidence_interval.low), float(boot.confidence_interval.high)
    draws = boot.bootstrap_distribution
    return {"rho": rho, "p_value": float(perm.pvalue),
            "p_mcse": 0.0 if exact else proportion_mcse(perm.pvalue, n_permutations),
            "ci_low": low, "ci_high": high, "ci_mcse": max(quantile_mcse(draws, low), quantile_mcse(draws, high)),
            "n": len(x), "smallest_p": smallest_permutation_p(len(x), n_permutations), "exact": exact}


def smallest_permutation_p(n: int, n_permutations: int) -> float:
    """Smallest p-value a two-sided permutation test can return at ``n`` with this many resamples."""
    if n_permutations >= math.factorial(n):
        return min(1.0, 2 / math.factorial(n))
    return 1 / (n_permutations + 1)


def holm(p_values, alpha: float = 0.05) -> np.ndarray:
    return multipletests(np.asarray(p_values, dtype=float), alpha=alpha, method="holm")[1]


def spearman_z_sd(rho: float, n: int) -> float:
    """SD of atanh(r_s) at n (Bonett & Wright 2000: (1 + rho^2 / 2) / (n - 3))."""
    return math.sqrt((1 + rho ** 2 / 2) / (n - 3))


def power_spearman(rho: float, n: int, alpha: float = 0.05) -> float:
    """Approximate two-sided power of a test of rho_s = 0 at ``n`` (Fisher z, Bonett-Wright SD)."""
    q = norm.ppf(1 - alpha / 2)
    shift = math.atanh(abs(rho)) / spearman_z_sd(rho, n)
    # under H0 the SD is that of rho = 0
    ratio = spearman_z_sd(0.0, n) / spearman_z_sd(rho, n)
    return float(norm.sf(q * ratio - shift) + norm.cdf(-q * ratio - shift))


def detectable_rho(n: int, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest |rho_s| detected with ``power`` at ``n`` and two-sided ``alpha``."""
    return float(brentq(lambda r: power_spearman(r, n, alpha) - power, 1e-6, 0.999))


def simulated_power(rho: float, n: int, alpha: float, n_sims: int, rng: np.random.Generator) -> float:
    """Power by simulation: bivariate normal with Spearman correlation ``rho`` (Pearson
    2 sin(pi rho / 6)), tested against the simulated null distribution of rho_s at ``n``."""
    r = 2 * math.sin(math.pi * rho / 6)
    cov = np.array([[1.0, r], [r, 1.0]])
    draws = rng.multivariate_normal([0.0, 0.0], cov, size=(n_sims, n))
    null = rng.standard_normal(size=(n_sims, n, 2))
    stat = np.abs(spearman_rho(draws[..., 0], draws[..., 1]))
    critical = np.quantile(np.abs(spearman_rho(null[..., 0], null[..., 1])), 1 - alpha)
    return float(np.mean(stat > critical))


def planned_table() -> pd.DataFrame:
    """The planned associations as a table (shown before anything is computed)."""
    return pd.DataFrame([{"key": a.key, "x": a.x, "y": a.y, "question": a.question, "shared_term": a.shared_term}
                         for a in PLANNED_ASSOCIATIONS])
