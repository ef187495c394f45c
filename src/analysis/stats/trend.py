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
* :func:`growth_per_year`: descriptive compound growth from the first to the last value. No
  Poisson or quasi-Poisson model: the series are administrative stocks (the same organisations
  counted again), whose variation is nothing like Poisson counting noise (Pearson dispersion
  0.02-0.15), so model intervals would describe the model, not the data.
* :func:`two_count_comparison`: two counts as Poisson rates (``statsmodels.stats.rates``), with
  the growth over the period, the compound annual growth, and the dispersion factor above which
  the difference would stop being significant (two points cannot estimate it).
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache

import numpy as np
import pandas as pd
from scipy.stats import kendalltau, norm, permutation_test, theilslopes
from statsmodels.stats.rates import confint_poisson, confint_poisson_2indep, test_poisson_2indep

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
    res = theilslopes(np.asarray(values, dtype=float), np.asarray(t, dtype=float), alpha=confidence)
    return {"slope": float(res.slope), "ci_low": float(res.low_slope), "ci_high": float(res.high_slope),
            "coverage": sen_coverage(t, values, confidence), "n": len(values)}


def growth_per_year(first: float, last: float, years: float) -> float:
    """Descriptive compound growth per year from ``first`` to ``last`` over ``years`` (no model,
    no interval: a stock counted on a few dates has no sampling distribution to give one)."""
    if years <= 0 or first <= 0:
        return float("nan")
    return (last / first) ** (1 / years) - 1


def two_count_comparison(later: int, earlier: int, years: float, confidence: float = 0.95) -> dict:
    """Two counts compared as Poisson rates over equal exposures."""
    alpha = 1 - confidence
    score = test_poisson_2indep(later, 1, earlier, 1, method="score")
    exact = test_poisson_2indep(later, 1, earlier, 1, method="exact-cond")
    low, high = confint_poisson_2indep(later, 1, earlier, 1, method="score", compare="ratio", alpha=alpha)
    ratio = later / earlier
    z_crit = norm.ppf(1 - alpha / 2)
    return {
        "ratio": ratio, "ratio_low": float(low), "ratio_high": float(high),
        "growth": ratio - 1, "growth_low": float(low) - 1, "growth_high": float(high) - 1,
        "annual_growth": ratio ** (1 / years) - 1, "annual_low": float(low) ** (1 / years) - 1,
        "annual_high": float(high) ** (1 / years) - 1,
        "z": float(score.statistic), "p_value": float(score.pvalue), "p_exact_conditional": float(exact.pvalue),
        "dispersion_threshold": float((score.statistic / z_crit) ** 2),
        "difference": later - earlier, "years": years,
    }


def count_interval(count: int, confidence: float = 0.95) -> tuple[float, float]:
    """Exact (Garwood) Poisson interval of one count."""
    low, high = confint_poisson(count, 1, method="exact-c", alpha=1 - confidence)
    return float(low), float(high)


def decimal_years(dates: pd.Series) -> np.ndarray:
    """Dates as decimal years (2024-01-01 -> 2024.0), for slopes per year."""
    dates = pd.to_datetime(dates)
    start = pd.to_datetime(dates.dt.year.astype(str) + "-01-01")
    end = pd.to_datetime((dates.dt.year + 1).astype(str) + "-01-01")
    return (dates.dt.year + (dates - start) / (end - start)).to_numpy(dtype=float)
