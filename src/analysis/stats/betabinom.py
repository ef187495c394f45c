"""Beta-binomial model of shares across units: fit, shrinkage, predictive funnel limits and flags.

The model. Unit i has n_i places of which y_i have the property (here: public preschools and those
with conditions for inclusive education in the 20 regions of Kazakhstan, a census, not a sample).
Each unit's true share p_i is drawn from Beta(alpha, beta) and y_i | p_i ~ Binomial(n_i, p_i), so
y_i ~ BetaBinomial(n_i, alpha, beta). With mu = alpha / (alpha + beta) (the mean share) and the
intra-class correlation rho = 1 / (alpha + beta + 1),

    E[y_i / n_i] = mu,    Var(y_i / n_i) = mu (1 - mu) [1 + (n_i - 1) rho] / n_i,

and the standard deviation of the true shares is sd(p) = sqrt(mu (1 - mu) rho). rho = 0 is the
binomial (every unit has the same true share); the funnel plot's multiplicative dispersion factor
phi is roughly 1 + (n - 1) rho at a typical n, but unlike phi the beta-binomial limits are shares of
a distribution on 0..n, so they can never leave [0, 1].

* :func:`fit`: maximum likelihood over (logit mu, log(alpha + beta)) with ``scipy.optimize``,
  starting from the method of moments; likelihood-ratio test of rho = 0 against the binomial. rho = 0
  lies on the boundary of the parameter space, so the LR statistic is a 50:50 mixture of 0 and
  chi-square(1) under the null (Self & Liang 1987): p = 0.5 * P(chi2_1 >= LR).
* :func:`shrunken`: empirical-Bayes posterior of each unit's true share, Beta(alpha + y, beta + n - y):
  posterior mean (alpha + y) / (alpha + beta + n) = w y / n + (1 - w) mu with w = n / (alpha + beta + n),
  and an equal-tailed interval.
* :func:`predictive_limits`: funnel limits as quantiles of BetaBinomial(n, alpha, beta) divided by n,
  interpolated for discreteness exactly as the binomial limits of :mod:`analysis.stats.funnel`
  (Spiegelhalter 2005, Appendix A.1): r_p the smallest count with F(r_p) >= p,
  a = (F(r_p) - p) / (F(r_p) - F(r_p - 1)), limit = (r_p - a) / n, clipped to [0, 1].
* :func:`predictive_p` and :func:`flag_thresholds`: two-sided predictive mid-p-values
  2 min(P(Y < y) + P(Y = y) / 2, P(Y > y) + P(Y = y) / 2) (Lancaster 1961), and the shares beyond
  which a unit of size n would be flagged at a given level.

What it cannot show. alpha and beta are estimated from the same units that are then judged against
them, so the predictive p-values are slightly conservative (an extreme unit widens the beta it is
compared with). With 20 units rho is imprecise; the limits say which regions are unusual given the
spread of the others, not why, and a region inside them is not thereby "as expected" in any
normative sense. The beta shape is an assumption: it is flexible on (0, 1) but cannot represent,
say, two clusters of regions.

References: D. A. Griffiths (1973), "Maximum likelihood estimation for the beta-binomial
distribution", Biometrics 29:637-648; S. G. Self and K.-Y. Liang (1987), "Asymptotic properties of
maximum likelihood estimators and likelihood ratio tests under nonstandard conditions", JASA
82:605-610; D. J. Spiegelhalter (2005), "Funnel plots for comparing institutional performance",
Statistics in Medicine 24:1185-1202; H. O. Lancaster (1961), "Significance tests in discrete
distributions", JASA 56:223-234.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize, minimize_scalar
from scipy.special import digamma, expit, logit
from scipy.stats import beta as beta_dist
from scipy.stats import betabinom, binom, chi2

from analysis.precision import OPTIMISED_SIGNIFICANT, round_significant

#: Bounds on alpha + beta during the fit. Above 1e8 scipy's betabinom.logpmf loses precision
#: (it differs from the binomial by ~1e-5 at 1e10); rho = 1e-8 is the binomial for any n here.
PRECISION_BOUNDS = (1e-4, 1e8)


def _as_counts(successes, totals) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(successes, dtype=float)
    n = np.asarray(totals, dtype=float)
    if y.shape != n.shape or y.ndim != 1:
        raise ValueError("successes and totals must be one-dimensional and of the same length")
    if np.any(n < 1) or np.any(y < 0) or np.any(y > n) or np.any(y != np.round(y)) or np.any(n != np.round(n)):
        raise ValueError("counts must be integers with 0 <= successes <= totals and totals >= 1")
    return y, n


def _moments_start(y: np.ndarray, n: np.ndarray) -> tuple[float, float]:
    """Method-of-moments (mu, alpha + beta) from E[(y/n - mu)^2] = mu (1 - mu) (1 + (n - 1) rho) / n."""
    mu = float(np.clip(y.sum() / n.sum(), 1e-3, 1 - 1e-3))
    spread = np.sum((y / n - mu) ** 2) / max(len(y) - 1, 1)
    base = mu * (1 - mu)
    rho = (spread - np.mean(base / n)) / np.mean(base * (1 - 1 / n))
    rho = float(np.clip(rho, 1e-4, 0.9))
    return mu, 1 / rho - 1


def fit(successes, totals) -> dict:
    """Maximum-likelihood beta-binomial fit, with the likelihood-ratio test against the binomial.

    Maximises sum_i log BetaBinomial(y_i; n_i, alpha, beta) (``scipy.stats.betabinom.logpmf``) over
    logit(mu) and log(alpha + beta) with L-BFGS-B from the method-of-moments start, alpha + beta kept
    within :data:`PRECISION_BOUNDS`. LR = 2 (loglik - loglik_binomial), the binomial evaluated at its
    own MLE sum(y) / sum(n); p = 0.5 * chi2.sf(LR, 1) because rho = 0 is on the boundary.

    Returns alpha, beta, mu, rho = 1 / (alpha + beta + 1), sd_true = sqrt(mu (1 - mu) rho) (the SD of
    the true shares), loglik, loglik_binomial, lr_statistic, lr_p_value, n_units, at_boundary (LR below
    1e-6: the beta-binomial fits no better than the binomial, rho is at or next to 0) and converged
    (L-BFGS-B reported success, or the fit is at that boundary, where the likelihood is flat in
    alpha + beta and the line search can stop without reporting success; rho is then ~0 whatever
    alpha + beta it stopped at).
    """
    y, n = _as_counts(successes, totals)
    mu0, s0 = _moments_start(y, n)
    lo, hi = np.log(PRECISION_BOUNDS)

    def negloglik(x):
        mu, s = expit(x[0]), np.exp(x[1])
        return -float(np.sum(betabinom.logpmf(y, n, mu * s, (1 - mu) * s)))

    starts = [np.array([logit(mu0), np.clip(np.log(s0), lo, hi)]), np.array([logit(mu0), hi - 1.0])]
    results = [minimize(negloglik, x0, method="L-BFGS-B", bounds=[(-20.0, 20.0), (lo, hi)],
                        options={"ftol": 1e-12, "gtol": 1e-7}) for x0 in starts]
    best = min(results, key=lambda r: r.fun)
    # Kept to OPTIMISED_SIGNIFICANT digits: the optimiser's last digits differ between CPU kernels.
    mu = round_significant(float(expit(best.x[0])), OPTIMISED_SIGNIFICANT)
    s = round_significant(float(np.exp(best.x[1])), OPTIMISED_SIGNIFICANT)
    a, b = mu * s, (1 - mu) * s
    rho = 1 / (s + 1)
    loglik = -negloglik([logit(mu), np.log(s)])  # at the parameters as kept
    mu_binomial = y.sum() / n.sum()
    loglik_binomial = float(np.sum(binom.logpmf(y, n, mu_binomial)))
    lr = max(0.0, 2 * (loglik - loglik_binomial))
    at_boundary = bool(lr < 1e-6)
    return {"alpha": a, "beta": b, "mu": mu, "rho": rho, "sd_true": float(np.sqrt(mu * (1 - mu) * rho)),
            "loglik": loglik, "loglik_binomial": loglik_binomial, "lr_statistic": lr,
            "lr_p_value": float(0.5 * chi2.sf(lr, 1)), "n_units": len(y),
            "at_boundary": at_boundary, "converged": bool(best.success or at_boundary)}


def shrunken(successes, totals, fit: dict, confidence: float = 0.95) -> pd.DataFrame:
    """Empirical-Bayes posterior of each unit's true share, Beta(alpha + y, beta + n - y).

    Columns: raw_share y / n; shrunk_share, the posterior mean (alpha + y) / (alpha + beta + n), which
    lies between the raw share and mu; ci_low, ci_high, the equal-tailed ``confidence`` posterior
    interval; weight_on_raw = n / (alpha + beta + n). alpha and beta are plugged in as if known, so
    the intervals ignore their uncertainty (slightly too narrow). The index of ``successes`` is kept
    when it has one.
    """
    y, n = _as_counts(successes, totals)
    a, b = fit["alpha"], fit["beta"]
    tail = (1 - confidence) / 2
    posterior = beta_dist(a + y, b + n - y)
    return pd.DataFrame({"raw_share": y / n, "shrunk_share": (a + y) / (a + b + n),
                         "ci_low": posterior.ppf(tail), "ci_high": posterior.ppf(1 - tail),
                         "weight_on_raw": n / (a + b + n)}, index=getattr(successes, "index", None))


def _pmf(size: int, a: float, b: float) -> np.ndarray:
    """P(Y = k), k = 0..size, under BetaBinomial(size, a, b)."""
    return betabinom.pmf(np.arange(size + 1), size, a, b)


def _quantile_share(pmf: np.ndarray, prob: float) -> float:
    """Spiegelhalter's interpolated quantile (r_p - a) / n of a distribution on 0..n, clipped to [0, 1]."""
    size = len(pmf) - 1
    cdf = np.cumsum(pmf)
    r = min(int(np.searchsorted(cdf, prob, side="left")), size)
    f_r = cdf[r]
    f_below = cdf[r - 1] if r > 0 else 0.0
    a = (f_r - prob) / (f_r - f_below) if f_r > f_below else 0.0
    return float(np.clip((r - a) / size, 0.0, 1.0))


def predictive_limits(fit: dict, sizes, probs=(0.001, 0.025, 0.975, 0.999)) -> pd.DataFrame:
    """Beta-binomial funnel limits, as shares, for each size and probability.

    For size n and probability p, the interpolated p-quantile of BetaBinomial(n, alpha, beta) divided
    by n (Spiegelhalter 2005; see the module docstring), clipped to [0, 1]. Columns: ``size`` and one
    column per probability, named by the probability itself (e.g. ``0.025``). Two-sided 95% limits are
    the 0.025 and 0.975 columns, 99.8% limits 0.001 and 0.999.
    """
    sizes = np.asarray(sizes)
    if np.any(sizes < 1) or np.any(sizes != np.round(sizes)):
        raise ValueError("sizes must be positive integers")
    out: dict = {"size": sizes.astype(int)}
    pmfs = {int(m): _pmf(int(m), fit["alpha"], fit["beta"]) for m in np.unique(sizes)}
    for p in probs:
        out[p] = np.array([_quantile_share(pmfs[int(m)], p) for m in sizes])
    return pd.DataFrame(out)


def _mid_p_tails(size: int, a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """For y = 0..size: P(Y < y) + P(Y = y)/2 and P(Y > y) + P(Y = y)/2 (each tail summed from its own end)."""
    pmf = _pmf(size, a, b)
    below = np.concatenate([[0.0], np.cumsum(pmf)[:-1]])
    above = np.concatenate([np.cumsum(pmf[::-1])[::-1][1:], [0.0]])
    return below + pmf / 2, above + pmf / 2


def predictive_p(successes, totals, fit: dict) -> np.ndarray:
    """Two-sided predictive mid-p-value of each unit's count under BetaBinomial(n_i, alpha, beta).

    p_i = min(1, 2 min(P(Y < y_i) + P(Y = y_i) / 2, P(Y > y_i) + P(Y = y_i) / 2)). The fit uses the
    same units, including the one being tested, so these p-values are slightly conservative; with 20
    units an outlying unit pulls alpha + beta down and its own limits outwards.
    """
    y, n = _as_counts(successes, totals)
    out = np.empty(len(y))
    for i, (yi, ni) in enumerate(zip(y.astype(int), n.astype(int), strict=True)):
        low, high = _mid_p_tails(ni, fit["alpha"], fit["beta"])
        out[i] = min(1.0, 2 * min(low[yi], high[yi]))
    return out


def flag_thresholds(totals, fit: dict, alpha: float) -> pd.DataFrame:
    """Shares at or beyond which a unit of each size would be flagged at two-sided level ``alpha``.

    With the mid-p of :func:`predictive_p`: low_share is the largest y / n whose two-sided mid-p is
    below ``alpha`` on the low side (2 (P(Y < y) + P(Y = y) / 2) < alpha), high_share the smallest y / n
    with 2 (P(Y > y) + P(Y = y) / 2) < alpha. Both tails are strictly monotone in y, so every share at
    or below low_share (at or above high_share) is flagged and none in between. NaN (can_flag_low or
    can_flag_high False) when even y = 0 (y = n) is not extreme enough: a unit that small cannot be
    flagged on that side whatever its count. For Holm's correction over k units pass its first cut,
    alpha / k, the level the most extreme unit must pass. Columns: size, low_share, high_share,
    can_flag_low, can_flag_high.
    """
    sizes = np.asarray(totals, dtype=int)
    low_share = np.full(len(sizes), np.nan)
    high_share = np.full(len(sizes), np.nan)
    for i, m in enumerate(sizes):
        below, above = _mid_p_tails(int(m), fit["alpha"], fit["beta"])
        low_hits = np.flatnonzero(2 * below < alpha)
        high_hits = np.flatnonzero(2 * above < alpha)
        if low_hits.size:
            low_share[i] = low_hits.max() / m
        if high_hits.size:
            high_share[i] = high_hits.min() / m
    return pd.DataFrame({"size": sizes, "low_share": low_share, "high_share": high_share,
                         "can_flag_low": ~np.isnan(low_share), "can_flag_high": ~np.isnan(high_share)})


# -- regression: a logit mean per unit, one common dispersion ---------------------------------------

#: Means are kept this far from 0 and 1 while the optimiser explores (a line search can try a step
#: that puts a logit mean at +-100); a non-finite likelihood counts as the worst possible.
MU_CLIP = 1e-12


def _regression_negloglik(y: np.ndarray, n: np.ndarray, design: np.ndarray):
    def negloglik(x):
        mu, s = np.clip(expit(design @ x[:-1]), MU_CLIP, 1 - MU_CLIP), np.exp(x[-1])
        value = -float(np.sum(betabinom.logpmf(y, n, mu * s, (1 - mu) * s)))
        return value if np.isfinite(value) else 1e300
    return negloglik


def _regression_gradient(y: np.ndarray, n: np.ndarray, design: np.ndarray):
    """The analytic gradient of the negative log-likelihood of :func:`_regression_negloglik`
    (digamma terms of the beta functions, chain rule through a = mu s, b = (1 - mu) s)."""
    def gradient(x):
        mu, s = np.clip(expit(design @ x[:-1]), MU_CLIP, 1 - MU_CLIP), np.exp(x[-1])
        a, b = mu * s, (1 - mu) * s
        common = digamma(a + b) - digamma(n + a + b)
        d_a = digamma(y + a) - digamma(a) + common
        d_b = digamma(n - y + b) - digamma(b) + common
        d_eta = (d_a - d_b) * s * mu * (1 - mu)
        d_log_s = d_a * a + d_b * b
        return -np.r_[design.T @ d_eta, np.sum(d_log_s)]
    return gradient


def _polish(gradient, x, iterations: int = 8, step: float = 1e-6) -> np.ndarray:
    """Newton steps on the analytic gradient (its Jacobian by central differences) from an
    optimiser's end point: the optimum to near machine precision, so that it does not depend on
    where a CPU kernel's rounding made the optimiser stop, and its rounding to
    :data:`~analysis.precision.OPTIMISED_SIGNIFICANT` digits is the same on every CPU. A step
    that does not reduce the gradient is not taken."""
    x = np.asarray(x, dtype=float).copy()
    k = len(x)
    for _ in range(iterations):
        g = gradient(x)
        jac = np.empty((k, k))
        for i in range(k):
            e = np.zeros(k)
            e[i] = step
            jac[:, i] = (gradient(x + e) - gradient(x - e)) / (2 * step)
        try:
            move = np.linalg.solve((jac + jac.T) / 2, g)
        except np.linalg.LinAlgError:
            break
        candidate = x - move
        if not np.all(np.isfinite(candidate)) or np.linalg.norm(gradient(candidate)) >= np.linalg.norm(g):
            break
        x = candidate
    return x


def _optimise(negloglik, starts, bounds) -> np.ndarray:
    results = [minimize(negloglik, x0, method="L-BFGS-B", bounds=bounds, options={"ftol": 1e-12, "gtol": 1e-7})
               for x0 in starts]
    return min(results, key=lambda r: r.fun).x


def observed_se(negloglik, x, step: float = 1e-4) -> np.ndarray:
    """Standard errors from the observed information: the inverse of the central-difference Hessian
    of ``negloglik`` at ``x``, square roots of its diagonal (NaN where it is not positive definite)."""
    x = np.asarray(x, dtype=float)
    k = len(x)
    hessian = np.empty((k, k))
    def at(i, j, di, dj):
        z = x.copy()
        z[i] += di
        z[j] += dj
        return negloglik(z)

    for i in range(k):
        for j in range(i, k):
            hessian[i, j] = hessian[j, i] = (at(i, j, step, step) - at(i, j, step, -step) - at(i, j, -step, step)
                                             + at(i, j, -step, -step)) / (4 * step * step)
    try:
        cov = np.linalg.inv(hessian)
    except np.linalg.LinAlgError:
        return np.full(k, np.nan)
    diag = np.diag(cov)
    return np.where(diag > 0, np.sqrt(np.abs(diag)), np.nan)


def fit_regression(successes, totals, design) -> dict:
    """Beta-binomial regression by maximum likelihood: logit mu_i = x_i' b (``design``, units x
    coefficients, its first column the intercept), one common dispersion, rho = 1 / (alpha + beta + 1)
    for every unit (Williams 1982; the model of :func:`fit` when ``design`` is a column of ones).

    L-BFGS-B over (b, log(alpha + beta)) from the method-of-moments start and a near-binomial start;
    the estimates are kept to :data:`~analysis.precision.OPTIMISED_SIGNIFICANT` digits (the
    optimiser's last digits differ between CPU kernels). Returns coef (b), coef_se (observed
    information), log_s = log(alpha + beta) with log_s_se, rho and rho_se (delta method), mu (each
    unit's mean share), loglik (at the kept parameters) and n_units.
    """
    y, n = _as_counts(successes, totals)
    X = np.asarray(design, dtype=float)
    if X.shape != (len(y), X.shape[1]) or X.ndim != 2:
        raise ValueError("the design must have one row per unit")
    mu0, s0 = _moments_start(y, n)
    lo, hi = np.log(PRECISION_BOUNDS)
    negloglik = _regression_negloglik(y, n, X)
    b0 = np.zeros(X.shape[1])
    b0[0] = logit(mu0)
    starts = [np.r_[b0, np.clip(np.log(s0), lo, hi)], np.r_[b0, hi - 1.0]]
    x = _optimise(negloglik, starts, [(-20.0, 20.0)] * X.shape[1] + [(lo, hi)])
    x = _polish(_regression_gradient(y, n, X), x)
    x = np.array([round_significant(float(v), OPTIMISED_SIGNIFICANT) for v in x])
    se = observed_se(negloglik, x)
    s = float(np.exp(x[-1]))
    rho = 1 / (s + 1)
    return {"coef": x[:-1], "coef_se": se[:-1], "log_s": float(x[-1]), "log_s_se": float(se[-1]),
            "rho": rho, "rho_se": float(se[-1] * s / (s + 1) ** 2), "mu": expit(X @ x[:-1]),
            "loglik": -negloglik(x), "n_units": len(y), "x": x}


def as_fit(mu: float, rho: float) -> dict:
    """The alpha and beta of a Beta distribution with mean ``mu`` and intra-class correlation ``rho``
    (the dict :func:`predictive_p`, :func:`predictive_limits` and :func:`shrunken` take)."""
    s = 1 / rho - 1
    return {"alpha": mu * s, "beta": (1 - mu) * s, "mu": mu, "rho": rho}


def profile_interval(successes, totals, design, quantity: str = "rho", confidence: float = 0.95,
                     fitted: dict | None = None) -> tuple[float, float]:
    """Profile-likelihood interval of ``quantity`` of :func:`fit_regression`'s model: ``"rho"`` (the
    intra-class correlation) or ``"sd"`` (the SD of the true shares, sqrt(mu (1 - mu) rho), for a
    model with one mean, ``design`` a column of ones). The bounds are where twice the drop of the
    profile log-likelihood (the other parameters maximised) reaches the chi2_1 quantile at
    ``confidence`` (scipy ``brentq``); kept to :data:`~analysis.precision.OPTIMISED_SIGNIFICANT` digits.
    A bound the interval does not reach within (0, 1) is NaN.
    """
    y, n = _as_counts(successes, totals)
    X = np.asarray(design, dtype=float)
    fitted = fitted or fit_regression(y, n, X)
    negloglik = _regression_negloglik(y, n, X)
    best = -fitted["loglik"]
    crit = chi2.ppf(confidence, 1) / 2
    k = X.shape[1]

    if quantity == "rho":
        estimate = fitted["rho"]
        upper_limit = 1 - 1e-6

        def profile(rho):
            log_s = np.log(1 / rho - 1)
            inner = minimize(lambda b: negloglik(np.r_[b, log_s]), fitted["coef"], method="BFGS")
            return inner.fun
    elif quantity == "sd":
        if k != 1:
            raise ValueError("the SD of the true shares is profiled for a model with one mean")
        mu_hat = float(fitted["mu"][0])
        estimate = float(np.sqrt(mu_hat * (1 - mu_hat) * fitted["rho"]))
        upper_limit = 0.5 - 1e-6

        def profile(sd):
            # a Beta with this SD needs mu (1 - mu) > sd^2 (rho < 1): mu between the roots
            root = np.sqrt(max(1 - 4 * sd * sd, 0.0))
            lo_mu, hi_mu = (1 - root) / 2, (1 + root) / 2

            def at(b):
                mu = expit(b)
                rho = sd * sd / (mu * (1 - mu))
                return negloglik(np.r_[b, np.log(1 / rho - 1)]) if rho < 1 - 1e-9 else np.inf
            inner = minimize_scalar(at, bounds=(float(logit(lo_mu + 1e-9)), float(logit(hi_mu - 1e-9))),
                                    method="bounded", options={"xatol": 1e-10})
            return inner.fun
    else:
        raise ValueError(f"unknown quantity {quantity!r}: rho or sd")

    def excess(value):
        return profile(value) - best - crit

    def bound(a, b):
        try:
            return round_significant(float(brentq(excess, a, b, xtol=1e-10)), OPTIMISED_SIGNIFICANT)
        except ValueError:
            return float("nan")

    return bound(1e-6, estimate), bound(estimate, upper_limit)


def loo_predictive_p(successes, totals, design) -> np.ndarray:
    """Leave-one-out predictive mid-p of each unit: the model (:func:`fit_regression` with ``design``)
    fitted to the other units, the unit's count judged against BetaBinomial(n_i, alpha_i, beta_i) at
    its own covariates (two-sided mid-p, as :func:`predictive_p`). Unlike the in-sample p, the unit
    does not widen the spread it is judged against."""
    y, n = _as_counts(successes, totals)
    X = np.asarray(design, dtype=float)
    out = np.empty(len(y))
    for i in range(len(y)):
        keep = np.arange(len(y)) != i
        fitted = fit_regression(y[keep], n[keep], X[keep])
        mu = float(expit(X[i] @ fitted["coef"]))
        out[i] = predictive_p([y[i]], [n[i]], as_fit(mu, fitted["rho"]))[0]
    return out
