"""Region-level associations of notebook 41: few, planned, and honest about n = 20.

:data:`PLANNED_ASSOCIATIONS` is the complete list. It was written down before any of them was
computed, but in the same commit as the first results (``05b66fe``, 2026-11-26), so the
repository cannot prove the order: the associations are *planned, not pre-registered*.

Each is Spearman's rho over the regions with

* a permutation p-value that does not depend on the seed: exact enumeration where the n!
  pairings can be counted (n <= 8), otherwise at least 10**6 random pairings, with the
  Monte-Carlo standard error of p reported beside it;
* a **matched null** where the two ratios share a count: ratios that share a denominator, or a
  count that is the numerator of one and the denominator of the other, are correlated by
  construction even when the other counts are unrelated (Pearson 1897, "spurious correlation").
  The matched null keeps the shared count with its region and permutes only the other count of
  the ratio (:attr:`Association.free`), so it asks whether rho is larger than the shared term
  alone makes it. The plain null (permuting the ratio itself) is reported beside it;
* an interval from Fisher's z with the Bonett-Wright variance ``(1 + rho^2 / 2) / (n - 3)``:
  model-based, answering the same superpopulation question as the tests. The regions are never
  resampled (as in notebook 40: the 20 regions are the whole country, not a sample of regions, so
  a bootstrap over them would describe a population of countries that does not exist);
* Holm's correction across the planned associations (``statsmodels`` ``multipletests``), and a
  decision that stays open where the Monte-Carlo interval of the adjusted p straddles alpha.

:func:`power_spearman` states what 20 regions can detect at all. A region-level correlation says
nothing about preschools, teachers or children inside the regions (the ecological fallacy,
Robinson 1950).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.stats import chi2, norm, rankdata
from statsmodels.stats.multitest import multipletests

from analysis.stats import betabinom

#: Random pairings when the n! pairings cannot be enumerated.
MIN_PERMUTATIONS = 1_000_000
#: Enumerate every pairing up to this n (8! = 40 320).
MAX_ENUMERATED = 8
#: Pairings drawn at a time (memory: BATCH x n floats).
BATCH = 50_000


@dataclass(frozen=True)
class Association:
    """One planned association: ``x`` against ``y = num / den``, and the null that keeps what they share."""

    key: str
    x: str
    y: str
    question: str
    shared_term: str
    #: The count of ``y``'s ratio that the matched null permutes (the other stays with its
    #: region), with the ratio's numerator, denominator and multiplier; None where nothing is shared.
    free: str | None = None
    num: str | None = None
    den: str | None = None
    mult: float = 1.0


#: The associations of notebook 41 (at most three), planned before computing them (see the module
#: docstring for why they are not called pre-registered). The state-preschool shortage is used
#: because Table 1 counts public preschools and their children only (matched scope).
PLANNED_ASSOCIATIONS: tuple[Association, ...] = (
    Association("share_vs_state_shortage_per_sen", "inclusive_share", "state_shortage_per_100_sen",
                "inclusive share against state-preschool teacher shortage per 100 children with SEN",
                "none"),
    Association("share_vs_sen_per_preschool", "inclusive_share", "sen_per_preschool",
                "inclusive share against children with SEN per public preschool",
                "preschools_total is the denominator of both ratios",
                free="sen_children", num="sen_children", den="preschools_total"),
    Association("share_vs_state_shortage_per_inclusive", "inclusive_share", "state_shortage_per_inclusive",
                "inclusive share against state-preschool teacher shortage per preschool with inclusive conditions",
                "preschools_inclusive is the numerator of one ratio and the denominator of the other",
                free="shortage_state", num="shortage_state", den="preschools_inclusive"),
)


def spearman_rho(x, y, axis: int = -1) -> np.ndarray:
    """Spearman's rho along ``axis`` (vectorised; average ranks for ties)."""
    rx = rankdata(x, axis=axis)
    ry = rankdata(y, axis=axis)
    rx = rx - rx.mean(axis=axis, keepdims=True)
    ry = ry - ry.mean(axis=axis, keepdims=True)
    return (rx * ry).sum(axis=axis) / np.sqrt((rx ** 2).sum(axis=axis) * (ry ** 2).sum(axis=axis))


def _pairings(n: int, n_permutations: int, rng: np.random.Generator):
    """Index arrays of pairings in batches: all n! when n is small, else random ones."""
    if n <= MAX_ENUMERATED:
        every = np.array(list(itertools.permutations(range(n))))
        yield every
        return
    left = n_permutations
    while left > 0:
        size = min(BATCH, left)
        yield np.argsort(rng.random((size, n)), axis=1)
        left -= size


def average_ranks(y: np.ndarray) -> np.ndarray:
    """Average ranks along the last axis, the same numbers as ``scipy.stats.rankdata(y, axis=-1)``
    (ties get the mean of their positions), for many short rows at once (n = 20 regions, a million
    permutations): one sort per row. A row without ties gets the ranks 1..n in its sorted order;
    in a row with ties each rank is (first + last position of its tie group) / 2 + 1, a count plus a
    half, exact in floating point, so the result is bit for bit rankdata's. Rows with NaN are left
    to rankdata."""
    y = np.asarray(y, dtype=float)
    if not np.isfinite(y).all():
        return rankdata(y, axis=-1)
    n = y.shape[-1]
    order = np.argsort(y, axis=-1)  # any order within a tie group: its ranks come from its ends
    ordered = np.take_along_axis(y, order, axis=-1)
    starts = np.ones(y.shape, dtype=bool)
    starts[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    ranked = np.broadcast_to(np.arange(1, n + 1, dtype=float), y.shape).copy()  # no ties: position + 1
    tied = ~starts.all(axis=-1)
    if tied.any():
        tied_starts = starts[tied]
        position = np.broadcast_to(np.arange(n), tied_starts.shape)
        first = np.maximum.accumulate(np.where(tied_starts, position, 0), axis=-1)
        ends = np.ones(tied_starts.shape, dtype=bool)
        ends[..., :-1] = tied_starts[..., 1:]
        last = np.flip(np.minimum.accumulate(np.flip(np.where(ends, position, n - 1), axis=-1), axis=-1), axis=-1)
        ranked[tied] = (first + last) / 2 + 1
    ranks = np.empty(y.shape)
    np.put_along_axis(ranks, order, ranked, axis=-1)
    return ranks


def permutation_test(x, y_of, n: int, n_permutations: int, rng: np.random.Generator,
                     permutes: bool = False) -> dict:
    """Two-sided permutation p of Spearman's rho between ``x`` and ``y_of(order)``.

    ``y_of`` takes a batch of pairings (rows of indices) and returns the ``y`` values under each:
    the ratio itself permuted (plain null), or the ratio recomputed from a permuted count (matched
    null). p = min(1, 2 min(upper, lower)) with upper = (1 + #{rho* >= rho}) / (B + 1) (equal
    tails, as the matched null is not centred at 0); exact when every pairing is enumerated.
    ``permutes``: ``y_of(order)`` is ``y[order]`` for fixed ``y`` (the plain null), so its ranks are
    ``y``'s ranks in that order and are not ranked again (the same numbers, without the sorting).
    """
    rx = rankdata(np.asarray(x, dtype=float))
    rx = rx - rx.mean()
    spread_x = (rx ** 2).sum()
    observed = np.asarray(y_of(np.arange(n)[None, :]), dtype=float)

    def rho_of(y: np.ndarray) -> np.ndarray:
        ry = average_ranks(y)
        ry = ry - ry.mean(axis=-1, keepdims=True)
        return ry @ rx / np.sqrt((ry ** 2).sum(axis=-1) * spread_x)

    if permutes:  # y's ranks, centred: in any order, every row has the same mean and spread
        # Ranks are counts and halves and their means, sums and squares are exact in floating point,
        # so the constant mean and spread give bit for bit the per-row numbers of rho_of.
        fixed = rankdata(observed, axis=-1)[0]
        fixed = fixed - fixed.mean()
        norm_fixed = np.sqrt((fixed ** 2).sum() * spread_x)

        def null_of(order: np.ndarray) -> np.ndarray:
            return fixed[order] @ rx / norm_fixed
    else:
        def null_of(order: np.ndarray) -> np.ndarray:
            return rho_of(y_of(order))

    rho = float(rho_of(observed)[0])
    upper = lower = total = 0
    null_sum = 0.0
    for order in _pairings(n, n_permutations, rng):
        null = null_of(order)
        upper += int(np.sum(null >= rho - 1e-12))
        lower += int(np.sum(null <= rho + 1e-12))
        null_sum += float(null.sum())
        total += len(order)
    exact = n <= MAX_ENUMERATED
    if exact:
        tail = min(upper, lower) / total
        p, mcse = min(1.0, 2 * tail), 0.0
    else:
        tail = (min(upper, lower) + 1) / (total + 1)
        p = min(1.0, 2 * tail)
        mcse = 2 * math.sqrt(tail * (1 - tail) / total)
    return {"rho": rho, "p_value": p, "p_mcse": mcse, "resamples": total, "exact": exact,
            "null_mean": null_sum / total, "smallest_p": smallest_permutation_p(n, total)}


def smallest_permutation_p(n: int, n_permutations: int) -> float:
    """Smallest two-sided p-value the test can return: 2 / n! when every pairing is enumerated,
    else 2 / (B + 1) (not 1 / (B + 1): both tails count)."""
    if n <= MAX_ENUMERATED:
        return min(1.0, 2 / math.factorial(n))
    return min(1.0, 2 / (n_permutations + 1))


def fisher_interval(rho: float, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Interval for Spearman's rho from Fisher's z with the Bonett-Wright (2000) variance."""
    half = norm.ppf(0.5 + confidence / 2) * spearman_z_sd(rho, n)
    z = math.atanh(max(min(rho, 0.999999), -0.999999))
    return math.tanh(z - half), math.tanh(z + half)


def associate(frame: pd.DataFrame, a: Association, n_permutations: int, rng: np.random.Generator,
                     confidence: float = 0.95) -> dict:
    """Rho, the plain and (where a term is shared) the matched permutation p, and the interval."""
    x = frame[a.x].to_numpy(dtype=float)
    y = frame[a.y].to_numpy(dtype=float)
    n = len(frame)
    plain = permutation_test(x, lambda order: y[order], n, n_permutations, rng, permutes=True)
    out = {"key": a.key, "x": a.x, "y": a.y, "question": a.question, "shared_term": a.shared_term, "n": n,
           "rho": plain["rho"], "p_plain": plain["p_value"], "p_plain_mcse": plain["p_mcse"],
           "null_mean_plain": plain["null_mean"], "resamples": plain["resamples"], "exact": plain["exact"],
           "smallest_p": plain["smallest_p"], "null": "plain: the ratio permuted across regions"}
    if a.free is not None:
        free = frame[a.free].to_numpy(dtype=float)
        keep = frame[a.den if a.free == a.num else a.num].to_numpy(dtype=float)
        ratio = (lambda f, k: a.mult * f / k) if a.free == a.num else (lambda f, k: a.mult * k / f)
        matched = permutation_test(x, lambda order: ratio(free[order], keep), n, n_permutations, rng)
        out.update(p_value=matched["p_value"], p_mcse=matched["p_mcse"], null_mean=matched["null_mean"],
                   null=f"matched: {a.free} permuted across regions, {a.shared_term.split(' ')[0]} kept with its region")
    else:
        out.update(p_value=plain["p_value"], p_mcse=plain["p_mcse"], null_mean=plain["null_mean"])
    out["ci_low"], out["ci_high"] = fisher_interval(out["rho"], n, confidence)
    return out


def holm_with_mcse(p_values, mcse, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Holm-adjusted p-values, their Monte-Carlo standard errors (the multiplier of the p each
    adjusted value comes from, times its error) and a decision: 'significant' or 'not significant'
    when the adjusted p is two Monte-Carlo errors away from alpha, else 'undetermined'."""
    p = np.asarray(p_values, dtype=float)
    err = np.asarray(mcse, dtype=float)
    adjusted = multipletests(p, alpha=alpha, method="holm")[1]
    order = np.argsort(p, kind="stable")
    m = len(p)
    adj_err = np.zeros(m)
    running, running_err = 0.0, 0.0
    for rank, i in enumerate(order):
        value, value_err = min(1.0, (m - rank) * p[i]), (m - rank) * err[i]
        if value >= running:
            running, running_err = value, value_err
        adj_err[i] = running_err
    decisions = ["significant" if a + 2 * e < alpha else "not significant" if a - 2 * e >= alpha else "undetermined"
                 for a, e in zip(adjusted, adj_err, strict=True)]
    return adjusted, adj_err, decisions


def holm(p_values, alpha: float = 0.05) -> np.ndarray:
    """Holm-adjusted p-values of ``p_values`` (statsmodels ``multipletests``)."""
    return multipletests(np.asarray(p_values, dtype=float), alpha=alpha, method="holm")[1]


def spearman_z_sd(rho: float, n: int) -> float:
    """SD of atanh(r_s) at n (Bonett & Wright 2000: (1 + rho^2 / 2) / (n - 3))."""
    return math.sqrt((1 + rho ** 2 / 2) / (n - 3))


def power_spearman(rho: float, n: int, alpha: float = 0.05) -> float:
    """Approximate two-sided power of a test of rho_s = 0 at ``n`` (Fisher z, Bonett-Wright SD)."""
    q = norm.ppf(1 - alpha / 2)
    shift = math.atanh(abs(rho)) / spearman_z_sd(rho, n)
    ratio = spearman_z_sd(0.0, n) / spearman_z_sd(rho, n)  # under H0 the SD is that of rho = 0
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
    return pd.DataFrame([{"key": a.key, "x": a.x, "y": a.y, "question": a.question, "shared_term": a.shared_term,
                          "matched_null": f"permute {a.free}, keep the shared count" if a.free else "plain permutation"}
                         for a in PLANNED_ASSOCIATIONS])


def conditional(frame: pd.DataFrame, a: Association, confidence: float = 0.95, extra: tuple[str, ...] = ()) -> dict:
    """The conditional analysis of an association whose matched null permutes a count (``a.free``)
    that is itself correlated with the size of the regions, so that region counts are not
    exchangeable: a beta-binomial regression (:func:`analysis.stats.betabinom.fit_regression`) of
    the inclusive share (preschools with inclusive conditions out of all public preschools) on
    log(``a.free``) with log(preschools) as a covariate (and the columns ``extra``, e.g. a city
    indicator), one common dispersion. Reported: the odds ratio of the share per doubling of the
    free count at a given number of preschools, its Wald interval, and the likelihood-ratio test of
    its coefficient (chi2_1). ``a.free`` None: nothing to condition (an empty dict)."""
    if a.free is None:
        return {}
    y = frame["preschools_inclusive"].to_numpy(dtype=float)
    n = frame["preschools_total"].to_numpy(dtype=float)
    size = np.log(n)
    covariates = [np.ones(len(y)), size, *(frame[c].to_numpy(dtype=float) for c in extra)]
    null = betabinom.fit_regression(y, n, np.column_stack(covariates))
    full = betabinom.fit_regression(y, n, np.column_stack([*covariates, np.log(frame[a.free].to_numpy(dtype=float))]))
    lr = max(0.0, 2 * (full["loglik"] - null["loglik"]))
    b, se = float(full["coef"][-1]), float(full["coef_se"][-1])
    z = norm.ppf(0.5 + confidence / 2)
    per = math.log(2)
    return {"key": a.key, "free": a.free, "extra": ";".join(extra), "coef": b, "coef_se": se,
            "odds_ratio_per_doubling": math.exp(b * per), "or_low": math.exp((b - z * se) * per),
            "or_high": math.exp((b + z * se) * per), "or_se": math.exp(b * per) * per * se,
            "lr": lr, "p_value": float(chi2.sf(lr, 1)), "rho": full["rho"], "n": len(y)}
