"""How unequal are the regions? Disparity indices, Lorenz curve, binomial resampling.

Indices of a set of regional shares x_i with weights w_i (1 for "each region counts once",
the number of preschools for "each preschool counts once"); mu = sum w x / sum w:

* coefficient of variation: sqrt(sum w (x - mu)^2 / sum w) / mu (population form: the regions
  are all the regions, not a sample of them);
* max/min ratio (unweighted by nature);
* Gini: sum_i sum_j w_i w_j |x_i - x_j| / (2 W^2 mu);
* Theil T: sum (w_i / W) (x_i / mu) ln(x_i / mu). Weighted by preschools it equals the
  Kullback-Leibler divergence of the distribution of inclusive preschools from that of all
  preschools (the test checks this against ``scipy.stats.entropy``);
* Theil split: T = T_between + T_within for groups g (cities of republican significance and the
  other regions): T_between = sum_g (W_g / W)(mu_g / mu) ln(mu_g / mu), T_within =
  sum_g (W_g mu_g / (W mu)) T_g.

No maintained library offers the weighted Theil split or the weighted Gini in this form, so they
are coded here and tested against independent computations (scipy entropy, Lorenz-curve area,
replication of units).

Uncertainty: :func:`binomial_resample` draws each region's count from its own binomial
(n_i, y_i / n_i) and recomputes the indices. The regions are not resampled: the 20 regions are
the whole country, not a sample of regions, so a bootstrap over regions would describe a
population of countries that does not exist. The binomial draw describes only how much the
indices would move if each region's count were the outcome of a chance process around its own
share; with noise added, the indices tend to be larger than the observed ones (noise looks like
disparity), so the resampled mean minus the estimate is reported as the bias, and the interval is
the **basic** (reverse-percentile) one, [2 t - q_(1 - a/2), 2 t - q_(a/2)] (Davison & Hinkley 1997,
eq. 5.6), which corrects for that bias; a percentile interval of a biased index lies beside the
estimate (the max/min ratio's did, almost wholly above it). The SD of the resampled values is the
index's standard error (it sets the digits it is written with).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.stats.montecarlo import mean_mcse, quantile_mcse


def _weights(x: np.ndarray, w) -> np.ndarray:
    return np.ones(x.shape[-1]) if w is None else np.asarray(w, dtype=float)


def weighted_mean(x, w=None) -> np.ndarray:
    """Mean of ``x`` weighted by ``w`` (unweighted if None), along the last axis."""
    x = np.asarray(x, dtype=float)
    w = _weights(x, w)
    return (x * w).sum(axis=-1) / w.sum()


def cv(x, w=None) -> np.ndarray:
    """Coefficient of variation (population form), along the last axis."""
    x = np.asarray(x, dtype=float)
    w = _weights(x, w)
    mu = weighted_mean(x, w)
    var = (w * (x - mu[..., None]) ** 2).sum(axis=-1) / w.sum()
    return np.sqrt(var) / mu


def max_min_ratio(x) -> np.ndarray:
    """Largest over smallest value, along the last axis."""
    x = np.asarray(x, dtype=float)
    return x.max(axis=-1) / x.min(axis=-1)


def gini(x, w=None) -> np.ndarray:
    """Gini coefficient of ``x`` with weights ``w`` (mean absolute difference / (2 mean))."""
    x = np.asarray(x, dtype=float)
    w = _weights(x, w)
    mu = weighted_mean(x, w)
    diff = np.abs(x[..., :, None] - x[..., None, :])
    total = (w[:, None] * w[None, :] * diff).sum(axis=(-1, -2))
    return total / (2 * w.sum() ** 2 * mu)


def theil(x, w=None) -> np.ndarray:
    """Theil T index of ``x`` with weights ``w`` (0 for equality; x must be positive)."""
    x = np.asarray(x, dtype=float)
    w = _weights(x, w)
    ratio = x / weighted_mean(x, w)[..., None]
    return (w / w.sum() * ratio * np.log(ratio)).sum(axis=-1)


def theil_split(x, groups, w=None) -> dict:
    """Theil T split into between and within ``groups`` (works along the last axis)."""
    x = np.asarray(x, dtype=float)
    w = _weights(x, w)
    groups = np.asarray(groups)
    mu = weighted_mean(x, w)
    total_w = w.sum()
    between = np.zeros(x.shape[:-1])
    within = np.zeros(x.shape[:-1])
    parts = {}
    for g in sorted(set(groups.tolist())):
        m = groups == g
        w_g = w[m]
        mu_g = weighted_mean(x[..., m], w_g)
        share_w = w_g.sum() / total_w
        between = between + share_w * (mu_g / mu) * np.log(mu_g / mu)
        t_g = theil(x[..., m], w_g)
        contribution = share_w * (mu_g / mu) * t_g
        within = within + contribution
        parts[g] = {"theil": t_g, "within_contribution": contribution, "mean": mu_g, "weight_share": share_w}
    return {"total": theil(x, w), "between": between, "within": within, "groups": parts}


def lorenz_curve(population, amount) -> pd.DataFrame:
    """Lorenz curve of ``amount`` against ``population`` (units sorted by amount / population).

    Starts at (0, 0); the Gini is 1 - sum (X_k - X_{k-1})(Y_k + Y_{k-1}).
    """
    population = np.asarray(population, dtype=float)
    amount = np.asarray(amount, dtype=float)
    order = np.argsort(amount / population, kind="stable")
    x = np.concatenate([[0.0], np.cumsum(population[order]) / population.sum()])
    y = np.concatenate([[0.0], np.cumsum(amount[order]) / amount.sum()])
    return pd.DataFrame({"order": np.concatenate([[-1], order]), "cum_population": x, "cum_amount": y})


def lorenz_gini(curve: pd.DataFrame) -> float:
    """Gini from a Lorenz curve: 1 - sum (X_k - X_k-1)(Y_k + Y_k-1)."""
    x = curve["cum_population"].to_numpy()
    y = curve["cum_amount"].to_numpy()
    return float(1 - np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1])))


def indices(shares, weights=None) -> dict:
    """CV, max/min, Gini and Theil of ``shares`` (unweighted if ``weights`` is None)."""
    return {"cv": cv(shares, weights), "max_min_ratio": max_min_ratio(shares),
            "gini": gini(shares, weights), "theil": theil(shares, weights)}


def disparity_indices(successes, totals, groups) -> dict[str, np.ndarray]:
    """Every index of notebook 40, unweighted and weighted by ``totals``, along the last axis.

    ``successes`` may be 2-D (resamples x regions); ``totals`` and ``groups`` are per region.
    """
    totals = np.asarray(totals, dtype=float)
    shares = np.asarray(successes, dtype=float) / totals
    out = {}
    for tag, w in (("unweighted", None), ("weighted", totals)):
        for name, value in indices(shares, w).items():
            if name == "max_min_ratio" and tag == "weighted":
                continue
            out[f"{name}_{tag}"] = value
        split = theil_split(shares, groups, w)
        out[f"theil_between_{tag}"] = split["between"]
        out[f"theil_within_{tag}"] = split["within"]
        out[f"theil_between_fraction_{tag}"] = split["between"] / split["total"]
    return out


def binomial_resample(successes, totals, n_resamples: int, rng: np.random.Generator) -> np.ndarray:
    """``n_resamples`` x regions counts, each drawn from Binomial(n_i, y_i / n_i).

    A draw of 0 (possible only for tiny shares) is replaced by 0.5 so that the Theil index stays
    defined; with the shares here (all above 20% of 70+ preschools) it does not occur.
    """
    successes = np.asarray(successes, dtype=np.int64)
    totals = np.asarray(totals, dtype=np.int64)
    draws = rng.binomial(totals, successes / totals, size=(n_resamples, len(totals))).astype(float)
    return np.where(draws == 0, 0.5, draws)


def basic_intervals(estimates: dict, draws: dict, confidence: float = 0.95) -> pd.DataFrame:
    """For each statistic: its ``estimates`` value, the basic interval from its resampled ``draws``
    ([2 t - q_hi, 2 t - q_lo]; Davison & Hinkley 1997), the Monte-Carlo standard error of the
    bounds (the larger of the two, from the order statistics), the resampling SD (the standard
    error), the resampled mean, the bias (resampled mean - estimate) and its Monte-Carlo error."""
    tail = (1 - confidence) / 2
    rows = []
    for name, value in estimates.items():
        sample = np.asarray(draws[name], dtype=float)
        q_low, q_high = float(np.quantile(sample, tail)), float(np.quantile(sample, 1 - tail))
        value = float(value)
        rows.append({"index": name, "estimate": value, "ci_low": 2 * value - q_high, "ci_high": 2 * value - q_low,
                     "ci_mcse": max(quantile_mcse(sample, q_low), quantile_mcse(sample, q_high)),
                     "sd": float(sample.std(ddof=1)), "resampled_mean": float(sample.mean()),
                     "bias": float(sample.mean() - value), "bias_mcse": mean_mcse(sample)})
    return pd.DataFrame(rows)


def resampled_intervals(successes, totals, groups, n_resamples: int, rng: np.random.Generator,
                        confidence: float = 0.95) -> pd.DataFrame:
    """Every index of :func:`disparity_indices` with its basic interval from ``n_resamples``
    binomial resamples, resampling SD and bias (:func:`basic_intervals`)."""
    estimate = disparity_indices(successes, totals, groups)
    draws = disparity_indices(binomial_resample(successes, totals, n_resamples, rng), totals, groups)
    return basic_intervals(estimate, draws, confidence)
