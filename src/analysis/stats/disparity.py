"""Is the share of preschools with inclusive conditions the same in every region?

* :func:`chi2_homogeneity`: Pearson's chi-square test of homogeneity of a k x 2 table
  (``scipy.stats.chi2_contingency``), with Cramér's V and the bias-corrected V of
  Bergsma (2013, J. Korean Stat. Soc. 42:323-328), and the smallest expected count;
* :func:`wilson_intervals`: Wilson score intervals for each share
  (``statsmodels.stats.proportion.proportion_confint(method="wilson")``).

The 20 regions hold every public preschool of the country: they are a census, not a sample.
The chi-square test then asks a "superpopulation" question: is the regional variation larger
than the variation an allocation by chance alone (one common probability) would give? With
thousands of preschools even small differences are "significant", so the effect size V, not the
p-value, says how large the disparity is.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import chi2, chi2_contingency
from scipy.stats.contingency import association
from statsmodels.stats.proportion import proportion_confint


def cramers_v(chi2: float, n: int, shape: tuple[int, int]) -> float:
    """Cramér's V = sqrt(chi2 / (n * (min(r, c) - 1)))."""
    r, c = shape
    return math.sqrt(chi2 / (n * (min(r, c) - 1)))


def cramers_v_corrected(chi2: float, n: int, shape: tuple[int, int]) -> float:
    """Bias-corrected Cramér's V (Bergsma 2013).

    phi2 = chi2 / n is corrected to max(0, phi2 - (r-1)(c-1)/(n-1)); the table dimensions to
    r~ = r - (r-1)^2/(n-1), c~ = c - (c-1)^2/(n-1); V~ = sqrt(phi2~ / min(r~ - 1, c~ - 1)).
    """
    r, c = shape
    phi2 = chi2 / n
    phi2_corr = max(0.0, phi2 - (r - 1) * (c - 1) / (n - 1))
    r_corr = r - (r - 1) ** 2 / (n - 1)
    c_corr = c - (c - 1) ** 2 / (n - 1)
    return math.sqrt(phi2_corr / min(r_corr - 1, c_corr - 1))


def chi2_homogeneity(successes, totals) -> dict:
    """Chi-square test that ``successes / totals`` is the same in every group.

    Returns the statistic, degrees of freedom, p-value, n, Cramér's V (checked against
    ``scipy.stats.contingency.association``), the bias-corrected V and the smallest expected
    count (the usual rule asks for at least 5).
    """
    successes = np.asarray(successes, dtype=np.int64)
    totals = np.asarray(totals, dtype=np.int64)
    if np.any(successes < 0) or np.any(successes > totals):
        raise ValueError("successes must lie between 0 and the totals")
    table = np.column_stack([successes, totals - successes])
    keep = table.sum(axis=1) > 0
    table = table[keep]
    result = chi2_contingency(table, correction=False)
    n = int(table.sum())
    v = cramers_v(result.statistic, n, table.shape)
    return {
        "statistic": float(result.statistic), "dof": int(result.dof), "p_value": float(result.pvalue),
        "n": n, "groups": int(table.shape[0]), "cramers_v": v,
        "cramers_v_scipy": float(association(table, method="cramer", correction=False)),
        "cramers_v_corrected": cramers_v_corrected(result.statistic, n, table.shape),
        "min_expected": float(result.expected_freq.min()),
    }


def smallest_significant_v(n: int, dof: int, rows: int, cols: int, alpha: float) -> float:
    """The smallest Cramér's V a chi-square test on ``n`` units reaches significance with."""
    return math.sqrt(chi2.ppf(1 - alpha, dof) / (n * (min(rows, cols) - 1)))


def wilson_intervals(successes, totals, confidence: float = 0.95) -> pd.DataFrame:
    """Share and Wilson score interval of each ``successes / totals``."""
    successes = np.asarray(successes, dtype=np.int64)
    totals = np.asarray(totals, dtype=np.int64)
    low, high = proportion_confint(successes, totals, alpha=1 - confidence, method="wilson")
    return pd.DataFrame({"successes": successes, "total": totals, "share": successes / totals,
                         "ci_low": np.asarray(low, dtype=float), "ci_high": np.asarray(high, dtype=float)})
