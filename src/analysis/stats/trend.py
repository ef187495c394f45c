"""Trend tests for short series, with what each can and cannot show at its n.

* :func:`mann_kendall`: exact Mann-Kendall test (Kendall's S of the values against time).
  Without ties it is ``scipy.stats.kendalltau(method="exact")``. scipy refuses ties with the
  exact method; with ties in one variable the exact null distribution of S is that of the
  inversions of a random arrangement of a multiset, whose generating function is the
  q-multinomial coefficient [n; m_1, ..., m_k]_q (MacMahon 1916), computed exactly here in
  integers. With ties in both variables the distribution is enumerated with
  ``scipy.stats.permutation_test`` (all n! pairings up to n = 9, Monte Carlo above).
* :func:`smallest_p`: the smallest two-sided p-value the exact test can give: 2 / n! without
  ties (n = 3: 0.33, n = 4: 0.083, n = 5: 0.017), larger with ties; a series whose smallest p is
  above alpha cannot show a trend whatever its values.
* :func:`sen_slope`: Sen's (Theil-Sen) slope with ``scipy.stats.theilslopes``, whose interval
  uses a normal approximation to S. :func:`sen_coverage` gives the interval's real coverage at
  that n (exact, under exchangeable continuous errors): at n = 3 a nominal 95% interval covers
  the true slope 67% of the time.
* :func:`growth_per_year`: descriptive compound growth from the first to the last value.
* :func:`pearson_dispersion`: the Pearson dispersion X^2 / (n - 2) of a series against a
  log-linear Poisson trend (statsmodels GLM), the model that was considered and not used: the
  series are administrative stocks (the same organisations counted again), whose year-to-year
  variation is nothing like Poisson counting noise (dispersion far below 1), so a Poisson interval
  would describe the model, not the data. The same holds for two counts of enrolled students: the
  same people in both years make the two counts positively correlated, which shrinks the variance
  of their difference below Poisson's, so no test of two stock counts is made.
* :func:`tarone_family`: the multiplicity family of Tarone (1990): with exact tests of discrete
  data, a test whose smallest possible p is above the level can never reject and is not counted.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from functools import cache

import numpy as np
import pandas as pd
from scipy.stats import kendalltau, norm, permutation_test, theilslopes
from statsmodels.genmod.families import Poisson
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

from analysis.precision import OPTIMISED_SIGNIFICANT, ZERO_BELOW, round_significant

#: Largest n for which tied-in-both-variables series are enumerated exactly.
MAX_ENUMERATED = 9


@cache
def _q_binomial(a: int, b: int) -> tuple[int, ...]:
    """Coefficients of the Gaussian binomial [a choose b]_q (number of arrangements by inversions)."""
    if b < 0 or b > a:
        return (0,)
    if b == 0 or b == a:
        return (1,)
    left = _q_binomial(a - 1, b - 1)
    right = (0,) * b + _q_binomial(a - 1, b)
    size = max(len(left), len(right))
    return tuple((left[i] if i < len(left) else 0) + (right[i] if i < len(right) else 0) for i in range(size))


def _polymul(p: list[int], q: tuple[int, ...]) -> list[int]:
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        if a:
            for j, b in enumerate(q):
                out[i + j] += a * b
    return out


def inversion_counts(multiplicities) -> list[int]:
    """Number of distinct arrangements of a multiset with k inversions, k = 0, 1, ...

    The q-multinomial coefficient, as a product of q-binomials. For multiplicities all 1 these
    are the Mahonian numbers (Kendall's exact null distribution without ties).
    """
    poly, total = [1], 0
    for m in multiplicities:
        total += int(m)
        poly = _polymul(poly, _q_binomial(total, int(m)))
    while len(poly) > 1 and poly[-1] == 0:
        poly.pop()
    return poly


def kendall_s(x, y) -> int:
    """Kendall's S = sum over pairs of sign(x_j - x_i) * sign(y_j - y_i)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    dx = np.sign(x[None, :] - x[:, None])
    dy = np.sign(y[None, :] - y[:, None])
    return int(np.triu(dx * dy, 1).sum())


def _multiplicities(values) -> list[int]:
    return sorted(Counter(np.asarray(values, dtype=float).tolist()).values())


def s_null_distribution(multiplicities, n: int) -> dict[int, float]:
    """Exact null distribution of S when one variable has these tie multiplicities and the other none."""
    counts = inversion_counts(multiplicities)
    untied = n * (n - 1) // 2 - sum(m * (m - 1) // 2 for m in multiplicities)
    total = sum(counts)
    return {untied - 2 * d: c / total for d, c in enumerate(counts) if c}


def _exact_p_from_distribution(dist: dict[int, float], s: int) -> float:
    return float(min(1.0, sum(p for value, p in dist.items() if abs(value) >= abs(s) - 1e-9)))


def smallest_p(n: int, x_ties=None, y_ties=None) -> float:
    """Smallest two-sided exact Mann-Kendall p-value at ``n`` (2/n! without ties)."""
    if n < 2:
        return 1.0
    x_ties = x_ties or [1] * n
    y_ties = y_ties or [1] * n
    if len(x_ties) == 1 or len(y_ties) == 1:
        return 1.0
    if max(x_ties) == 1 or max(y_ties) == 1:
        tied = y_ties if max(x_ties) == 1 else x_ties
        dist = s_null_distribution(tied, n)
        return _exact_p_from_distribution(dist, max(dist))
    return _enumerated_distribution_smallest_p(n, x_ties, y_ties)


def _enumerated_distribution_smallest_p(n, x_ties, y_ties) -> float:
    x = np.repeat(np.arange(len(x_ties)), x_ties)
    y = np.repeat(np.arange(len(y_ties)), y_ties)
    return float(_permutation_p(x, y, kendall_s(x, y), np.random.default_rng(0))[0])


def _permutation_p(x, y, s_obs, rng) -> tuple[float, str]:
    """Two-sided p of S by permuting ``y`` against fixed ``x`` (all n! orders up to MAX_ENUMERATED)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    upper = np.triu(np.ones((n, n)), 1)
    dx = np.sign(x[None, :] - x[:, None])

    def statistic(b, axis=-1):
        b = np.moveaxis(np.asarray(b), axis, -1)
        db = np.sign(b[..., None, :] - b[..., :, None])
        return (upper * dx * db).sum(axis=(-1, -2))

    exact = n <= MAX_ENUMERATED
    res = permutation_test((y,), statistic, permutation_type="pairings", vectorized=True,
                           n_resamples=math.factorial(n) if exact else 99999, alternative="two-sided",
                           rng=rng, batch=20000)
    null = np.asarray(res.null_distribution)
    p = float(np.mean(np.abs(null) >= abs(s_obs) - 1e-9)) if exact else float(res.pvalue)
    return p, "exact enumeration of all n! orders" if exact else "Monte Carlo permutation (99999)"


def mann_kendall(t, values, rng: np.random.Generator | None = None) -> dict:
    """Exact two-sided Mann-Kendall test of ``values`` against time ``t``."""
    t = np.asarray(t, dtype=float)
    values = np.asarray(values, dtype=float)
    n = len(values)
    x_ties, y_ties = _multiplicities(t), _multiplicities(values)
    out = {"n": n, "s": None, "tau_b": None, "p_value": None, "method": "",
           "smallest_p_at_n": smallest_p(n), "smallest_p": smallest_p(n, x_ties, y_ties),
           "ties_in_values": int(n - len(y_ties)), "ties_in_time": int(n - len(x_ties))}
    if n < 3 or len(y_ties) == 1 or len(x_ties) == 1:
        out["method"] = "not computed: fewer than 3 points or a constant variable"
        return out
    s = kendall_s(t, values)
    tau_b = float(kendalltau(t, values, method="asymptotic").statistic)
    out.update(s=s, tau_b=tau_b)
    if max(x_ties) == 1 and max(y_ties) == 1:
        res = kendalltau(t, values, method="exact")
        out.update(p_value=float(res.pvalue), method="scipy kendalltau(method='exact'), no ties")
    elif max(x_ties) == 1 or max(y_ties) == 1:
        tied = y_ties if max(x_ties) == 1 else x_ties
        out.update(p_value=_exact_p_from_distribution(s_null_distribution(tied, n), s),
                   method="exact: q-multinomial null distribution of S (ties in one variable)")
    else:
        p, how = _permutation_p(t, values, s, rng or np.random.default_rng(0))
        out.update(p_value=p, method=how + " (ties in both variables)")
    return out


def smallest_n_for_exact_trend(alpha: float) -> int:
    """Smallest number of untied points at which an exact two-sided trend test can reach ``alpha``."""
    n = 2
    while 2 / math.factorial(n) > alpha:
        n += 1
    return n


def _sen_indices(x, y, confidence: float) -> tuple[int, int, int]:
    """The order statistics of the pairwise slopes scipy's theilslopes uses for its interval."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    n = len(x)
    nt = int(np.sum(x[:, None] - x[None, :] > 0))
    sigsq = (n * (n - 1) * (2 * n + 5) - sum(k * (k - 1) * (2 * k + 5) for k in _multiplicities(x) if k > 1)
             - sum(k * (k - 1) * (2 * k + 5) for k in _multiplicities(y) if k > 1)) / 18
    z = norm.ppf((1 - confidence) / 2)
    sigma = math.sqrt(sigsq)
    upper = min(int(np.round((nt - z * sigma) / 2)), nt - 1)
    lower = max(int(np.round((nt + z * sigma) / 2)) - 1, 0)
    return nt, lower, upper


def sen_coverage(x, y, confidence: float = 0.95) -> float:
    """Real coverage of theilslopes' nominal ``confidence`` interval at these x (and y ties).

    The interval [slope_(l), slope_(u)] holds the true slope exactly when the number D of
    discordant pairs of (x, errors) satisfies l + 1 <= D <= u; D follows the inversion
    distribution of x's multiset when the errors are exchangeable and continuous.
    """
    nt, lower, upper = _sen_indices(x, y, confidence)
    counts = inversion_counts(_multiplicities(x))
    total = sum(counts)
    return float(sum(c for d, c in enumerate(counts) if lower + 1 <= d <= upper) / total)


def sen_slope(t, values, confidence: float = 0.95) -> dict:
    """Sen's (Theil-Sen) slope of ``values`` against time ``t`` (scipy ``theilslopes``): the median
    of the pairwise slopes, its nominal ``confidence`` interval (normal approximation to Kendall's
    S), the interval's real coverage at these ``t`` (:func:`sen_coverage`) and n."""
    res = theilslopes(np.asarray(values, dtype=float), np.asarray(t, dtype=float), alpha=confidence)
    return {"slope": float(res.slope), "ci_low": float(res.low_slope), "ci_high": float(res.high_slope),
            "coverage": sen_coverage(t, values, confidence), "n": len(values)}


def growth_per_year(first: float, last: float, years: float) -> float:
    """Descriptive compound growth per year from ``first`` to ``last`` over ``years`` (no model,
    no interval: a stock counted on a few dates has no sampling distribution to give one)."""
    if years <= 0 or first <= 0:
        return float("nan")
    return (last / first) ** (1 / years) - 1


def pearson_dispersion(t, counts) -> float:
    """Pearson's X^2 / (n - 2) of ``counts`` against a log-linear Poisson trend in ``t`` (statsmodels
    GLM, Poisson family, log link): about 1 for Poisson counting noise, far below 1 for a stock that
    moves less than Poisson noise would; NaN with fewer than 3 points (no degree of freedom left).
    Written to :data:`~analysis.precision.OPTIMISED_SIGNIFICANT` significant digits."""
    t = np.asarray(t, dtype=float)
    counts = np.asarray(counts, dtype=float)
    if len(counts) < 3:
        return float("nan")
    design = np.column_stack([np.ones(len(t)), t - t.mean()])
    with warnings.catch_warnings():  # statsmodels calls a near-perfect fit of large counts "separation"
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        result = GLM(counts, design, family=Poisson()).fit()
    value = float(result.pearson_chi2 / result.df_resid)
    # kept to OPTIMISED_SIGNIFICANT digits (IRLS's last digits depend on the CPU kernel); a constant
    # series fits exactly (0, not 1e-28)
    return 0.0 if value < ZERO_BELOW else round_significant(value, OPTIMISED_SIGNIFICANT)


def tarone_family(smallest_p, alpha: float = 0.05) -> tuple[int, np.ndarray]:
    """Tarone's (1990) multiplicity family for exact tests of discrete data: K is the smallest k with
    at most k tests able to reach alpha / k (smallest possible p <= alpha / k); the family is those
    tests. A test outside it could not reject at the level Bonferroni would give it, whatever its
    data, so it does not dilute the others. Returns K and the mask of the tests in the family
    (Holm's correction is then applied within it)."""
    smallest = np.asarray(smallest_p, dtype=float)
    m = len(smallest)
    for k in range(1, m + 1):
        able = smallest <= alpha / k + 1e-12
        if able.sum() <= k:
            return k, able
    return m, np.ones(m, bool)


def decimal_years(dates: pd.Series) -> np.ndarray:
    """Dates as decimal years (2024-01-01 -> 2024.0), for slopes per year."""
    dates = pd.to_datetime(dates)
    start = pd.to_datetime(dates.dt.year.astype(str) + "-01-01")
    end = pd.to_datetime((dates.dt.year + 1).astype(str) + "-01-01")
    return (dates.dt.year + (dates - start) / (end - start)).to_numpy(dtype=float)
