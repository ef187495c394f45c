"""Monte-Carlo standard errors: how many digits of a resampled number are real.

A number computed from ``B`` random resamples, permutations or simulations would change with
another seed. Its Monte-Carlo standard error (MCSE) says by how much, and the precision policy
(:mod:`analysis.precision`) writes the number only down to the decimal place of that error.

* a proportion of ``B`` draws (a permutation p-value, a simulated power):
  ``sqrt(p (1 - p) / B)``;
* a quantile of ``B`` draws (a percentile or BCa interval bound): from the order statistics that
  bracket it. The rank of the bound among the draws is Binomial(B, a), so the draws at ranks
  ``B a -+ z sqrt(B a (1 - a))`` bracket the bound with probability ~0.95; half their distance,
  divided by z, is its standard error (the distribution-free interval for a quantile, e.g.
  Hahn & Meeker 1991, sect. 5.2);
* a mean of ``B`` draws: ``sd / sqrt(B)``.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import norm


def proportion_mcse(p: float, resamples: int) -> float:
    """MCSE of a proportion ``p`` estimated from ``resamples`` independent draws."""
    p = float(p)
    return math.sqrt(max(p * (1 - p), 0.0) / int(resamples))


def quantile_mcse(draws, value: float, confidence: float = 0.95) -> float:
    """MCSE of ``value``, a quantile-type bound read from ``draws`` (e.g. an interval bound)."""
    draws = np.sort(np.asarray(draws, dtype=float).ravel())
    b = len(draws)
    a = float(np.mean(draws <= value))
    z = norm.ppf(0.5 + confidence / 2)
    spread = z * math.sqrt(b * a * (1 - a))
    low = draws[max(0, math.floor(b * a - spread) - 1)]
    high = draws[min(b - 1, math.ceil(b * a + spread) - 1)]
    return float((high - low) / (2 * z))


def mean_mcse(draws) -> float:
    """MCSE of the mean of ``draws``."""
    draws = np.asarray(draws, dtype=float).ravel()
    return float(draws.std(ddof=1) / math.sqrt(len(draws)))
