"""Beta-binomial fit, shrinkage, predictive limits and flags, against independent computations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import beta as beta_dist
from scipy.stats import betabinom as scipy_betabinom

from analysis.stats import betabinom, funnel


def _simulate(rng, units, a, b, low=50, high=300):
    n = rng.integers(low, high, size=units)
    p = rng.beta(a, b, size=units)
    return rng.binomial(n, p), n


def _mid_p_by_sums(y, n, a, b):
    """Two-sided mid-p by adding up the probabilities one count at a time."""
    pmf = [scipy_betabinom.pmf(k, n, a, b) for k in range(n + 1)]
    below = sum(pmf[k] for k in range(y)) + pmf[y] / 2
    above = sum(pmf[k] for k in range(y + 1, n + 1)) + pmf[y] / 2
    return min(1.0, 2 * min(below, above))


def test_fit_recovers_parameters_of_a_large_simulated_sample():
    a, b = 3.0, 5.0
    y, n = _simulate(np.random.default_rng(20230), 400, a, b)
    fit = betabinom.fit(y, n)
    assert fit["alpha"] == pytest.approx(a, rel=0.2)
    assert fit["beta"] == pytest.approx(b, rel=0.2)
    assert fit["mu"] == pytest.approx(a / (a + b), abs=0.02)
    assert fit["rho"] == pytest.approx(1 / (a + b + 1), abs=0.02)
    assert fit["sd_true"] == pytest.approx(np.sqrt(fit["mu"] * (1 - fit["mu"]) * fit["rho"]), rel=1e-12)
    assert fit["sd_true"] == pytest.approx(beta_dist(fit["alpha"], fit["beta"]).std(), rel=1e-9)
    assert fit["n_units"] == 400 and fit["converged"] and not fit["at_boundary"]
    assert fit["lr_p_value"] < 1e-10


def test_fit_is_the_maximum_of_the_likelihood():
    y, n = _simulate(np.random.default_rng(7), 30, 2.0, 4.0, 20, 120)
    fit = betabinom.fit(y, n)
    best = np.sum(scipy_betabinom.logpmf(y, n, fit["alpha"], fit["beta"]))
    assert fit["loglik"] == pytest.approx(best, abs=1e-9)
    for da, db in [(0.05, 0), (-0.05, 0), (0, 0.05), (0, -0.05), (0.05, 0.05), (-0.05, -0.05)]:
        assert np.sum(scipy_betabinom.logpmf(y, n, fit["alpha"] + da, fit["beta"] + db)) < best


def test_binomial_data_show_no_overdispersion():
    rng = np.random.default_rng(11)
    n = rng.integers(50, 300, size=100)
    y = rng.binomial(n, 0.3)
    fit = betabinom.fit(y, n)
    assert fit["rho"] < 0.005
    assert fit["lr_p_value"] > 0.05
    assert fit["mu"] == pytest.approx(y.sum() / n.sum(), abs=0.005)
    assert fit["converged"]


def test_shrunken_is_the_beta_posterior():
    fit = {"alpha": 3.0, "beta": 4.0}
    y, n = np.array([0, 5, 40, 9]), np.array([10, 20, 50, 9])
    out = betabinom.shrunken(y, n, fit, confidence=0.9)
    mu = 3 / 7
    for i in range(4):
        post_a, post_b = 3 + y[i], 4 + n[i] - y[i]
        assert out["shrunk_share"][i] == pytest.approx((3 + y[i]) / (7 + n[i]), rel=1e-12)
        raw = y[i] / n[i]
        assert min(raw, mu) <= out["shrunk_share"][i] <= max(raw, mu)
        assert out["ci_low"][i] == pytest.approx(beta_dist.ppf(0.05, post_a, post_b), rel=1e-10)
        assert out["ci_high"][i] == pytest.approx(beta_dist.ppf(0.95, post_a, post_b), rel=1e-10)
        assert out["weight_on_raw"][i] == pytest.approx(n[i] / (7 + n[i]), rel=1e-12)
        w = out["weight_on_raw"][i]
        assert out["shrunk_share"][i] == pytest.approx(w * raw + (1 - w) * mu, rel=1e-12)
    assert list(out["raw_share"]) == pytest.approx([0, 0.25, 0.8, 1.0])


def test_shrunken_keeps_a_series_index():
    y = pd.Series([3, 4], index=["KZ-10", "KZ-11"])
    out = betabinom.shrunken(y, [10, 10], {"alpha": 1.0, "beta": 1.0})
    assert list(out.index) == ["KZ-10", "KZ-11"]


def test_predictive_limits_stay_in_unit_interval_and_widen_as_size_falls():
    fit = {"alpha": 0.6, "beta": 0.4}
    sizes = [1, 2, 5, 10, 20, 50, 100, 200, 500]
    probs = (0.001, 0.025, 0.975, 0.999)
    limits = betabinom.predictive_limits(fit, sizes, probs)
    assert list(limits.columns) == ["size", *probs]
    values = limits[list(probs)].to_numpy()
    assert np.all((values >= 0) & (values <= 1))
    fit = {"alpha": 30.0, "beta": 40.0}
    limits = betabinom.predictive_limits(fit, sizes[2:], probs)
    for low, high in [(0.025, 0.975), (0.001, 0.999)]:
        assert np.all(np.diff(limits[high] - limits[low]) < 0)
        # non-strict: at small n the lower 99.8% limit is clipped at 0
        assert np.all(np.diff(limits[low]) >= 0) and np.all(np.diff(limits[high]) <= 0)


@pytest.mark.parametrize(("n", "a", "b", "prob"), [(71, 3.0, 3.1, 0.975), (71, 3.0, 3.1, 0.001), (12, 0.5, 2.0, 0.9)])
def test_predictive_limit_by_enumeration(n, a, b, prob):
    r = 0
    while scipy_betabinom.cdf(r, n, a, b) < prob:
        r += 1
    f_r, f_below = scipy_betabinom.cdf(r, n, a, b), scipy_betabinom.cdf(r - 1, n, a, b)
    expected = min(1.0, max(0.0, (r - (f_r - prob) / (f_r - f_below)) / n))
    got = betabinom.predictive_limits({"alpha": a, "beta": b}, [n], [prob])[prob][0]
    assert got == pytest.approx(expected, abs=1e-9)


def test_predictive_limits_approach_binomial_limits_without_overdispersion():
    mu, s = 0.44, 1e7
    sizes = [20, 71, 150, 450]
    probs = (0.001, 0.025, 0.975, 0.999)
    limits = betabinom.predictive_limits({"alpha": mu * s, "beta": (1 - mu) * s}, sizes, probs)
    for p in probs:
        assert np.allclose(limits[p], np.clip(funnel.binomial_limit(mu, sizes, p), 0, 1), atol=0.01)


@pytest.mark.parametrize(("y", "n", "a", "b"), [(3, 10, 2.0, 5.0), (9, 10, 2.0, 5.0), (0, 7, 0.8, 0.8), (25, 40, 4.0, 4.0)])
def test_predictive_p_matches_direct_sums(y, n, a, b):
    got = betabinom.predictive_p([y], [n], {"alpha": a, "beta": b})[0]
    assert got == pytest.approx(_mid_p_by_sums(y, n, a, b), abs=1e-12)


def test_predictive_p_is_capped_at_one():
    # a symmetric distribution and the middle count: both mid-p tails are 1/2
    assert betabinom.predictive_p([5], [10], {"alpha": 2.0, "beta": 2.0})[0] == pytest.approx(1.0)


def test_flag_thresholds_by_the_p_values_either_side():
    a, b, level = 3.0, 3.0, 0.05 / 20
    sizes = [2, 5, 10, 30, 100, 300]
    out = betabinom.flag_thresholds(sizes, {"alpha": a, "beta": b}, level)
    assert list(out.columns) == ["size", "low_share", "high_share", "can_flag_low", "can_flag_high"]
    assert not out["can_flag_low"].all() and out["can_flag_low"].any()
    for row in out.itertuples():
        n = row.size
        if np.isnan(row.low_share):
            assert not row.can_flag_low
            assert _mid_p_by_sums(0, n, a, b) >= level
        else:
            y = round(row.low_share * n)
            assert _mid_p_by_sums(y, n, a, b) < level
            assert _mid_p_by_sums(y + 1, n, a, b) >= level
        if np.isnan(row.high_share):
            assert not row.can_flag_high
            assert _mid_p_by_sums(n, n, a, b) >= level
        else:
            y = round(row.high_share * n)
            assert _mid_p_by_sums(y, n, a, b) < level
            assert _mid_p_by_sums(y - 1, n, a, b) >= level


def test_counts_are_checked():
    with pytest.raises(ValueError):
        betabinom.fit([5, 12], [10, 10])
    with pytest.raises(ValueError):
        betabinom.fit([5, 2.5], [10, 10])
