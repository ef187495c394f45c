"""Exact funnel limits (Spiegelhalter 2005), bounded funnel curves, the dispersion factor and the logit-scale
random effects, against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2_contingency
from statsmodels.stats.meta_analysis import combine_effects

from analysis.stats import betabinom, funnel


def _interpolated_limit(cdf, prob, scale):
    """Spiegelhalter's interpolation by plain enumeration of the distribution function."""
    r = 0
    while cdf(r) < prob:
        r += 1
    below = cdf(r - 1) if r > 0 else 0.0
    a = (cdf(r) - prob) / (cdf(r) - below)
    return (r - a) / scale


@pytest.mark.parametrize(("n", "p0", "prob"), [(50, 0.3, 0.975), (50, 0.3, 0.025), (71, 0.44, 0.999), (12, 0.1, 0.001)])
def test_binomial_limit_by_enumeration(n, p0, prob):
    def cdf(r):
        return sum(math.comb(n, k) * p0 ** k * (1 - p0) ** (n - k) for k in range(r + 1))
    want = min(1.0, max(0.0, _interpolated_limit(cdf, prob, n)))  # clipped: a share cannot leave [0, 1]
    assert funnel.binomial_limit(p0, [n], prob)[0] == pytest.approx(want, abs=1e-9)


@pytest.mark.parametrize(("rate", "exposure", "prob"), [(1.5, 20, 0.975), (0.4, 9, 0.025), (39.6, 2.2, 0.999)])
def test_poisson_limit_by_enumeration(rate, exposure, prob):
    mu = rate * exposure

    def cdf(r):
        return sum(math.exp(-mu) * mu ** k / math.factorial(k) for k in range(r + 1))
    want = max(0.0, _interpolated_limit(cdf, prob, exposure))  # clipped: a rate cannot be negative
    assert funnel.poisson_limit(rate, [exposure], prob)[0] == pytest.approx(want, abs=1e-9)


def test_exact_limits_approach_normal_limits_for_large_n():
    n, p0 = 200_000, 0.44
    half = 1.959964 * math.sqrt(p0 * (1 - p0) / n)
    assert funnel.binomial_limit(p0, [n], 0.975)[0] == pytest.approx(p0 + half, abs=2e-5)
    assert funnel.binomial_limit(p0, [n], 0.025)[0] == pytest.approx(p0 - half, abs=2e-5)


def test_funnel_curve_limits_nest_and_stay_within_0_and_1():
    # A wide spread (rho near 0.5) and tiny units: normal limits widened by phi would leave [0, 1].
    fit = betabinom.fit([1, 9, 2, 8, 0, 10, 5], [10, 10, 10, 10, 10, 10, 10])
    curve = funnel.funnel_curve(0.5, np.arange(5, 400, 5), fit)
    limits = curve.drop(columns=["size", "target"])
    assert ((limits >= 0) & (limits <= 1)).all().all()
    for kind in ("binom", "bb"):
        assert (curve[f"{kind}_low_998"] <= curve[f"{kind}_low_95"] + 1e-12).all()
        assert (curve[f"{kind}_high_95"] <= curve[f"{kind}_high_998"] + 1e-12).all()
    # the spread between units widens the limits beyond the binomial ones
    assert (curve["bb_high_998"] >= curve["binom_high_998"] - 1e-9).all()
    assert (curve["bb_low_998"] <= curve["binom_low_998"] + 1e-9).all()


def test_dispersion_is_the_chi_square_of_the_table():
    y = np.array([30, 45, 12, 80, 51])
    n = np.array([100, 90, 60, 150, 120])
    p0 = y.sum() / n.sum()
    od = funnel.dispersion((y / n - p0) / funnel.binomial_se(p0, n))
    table = np.column_stack([y, n - y])
    statistic = chi2_contingency(table, correction=False)[0]
    assert od["statistic"] == pytest.approx(statistic, rel=1e-12)
    assert od["phi"] == pytest.approx(statistic / 5) and od["dof"] == 4


def test_phi_is_about_one_under_the_binomial_with_an_estimated_target():
    # k * phi has expectation about k - 1 when the target is estimated from the same units.
    rng = np.random.default_rng(7)
    n = np.array([80, 120, 150, 200, 250, 300, 350, 400, 450, 500] * 2)
    stats = []
    for _ in range(400):
        y = rng.binomial(n, 0.4)
        p0 = y.sum() / n.sum()
        stats.append(funnel.dispersion((y / n - p0) / funnel.binomial_se(p0, n))["statistic"])
    assert np.mean(stats) == pytest.approx(len(n) - 1, rel=0.08)


def test_logit_random_effects_matches_statsmodels_dersimonian_laird():
    y = np.array([30, 45, 12, 80, 51, 7])
    n = np.array([100, 90, 60, 150, 120, 40])
    theta = np.log(y / (n - y))
    v = 1 / y + 1 / (n - y)
    want = combine_effects(theta, v, method_re="dl")
    got = funnel.logit_random_effects(y, n)
    assert got["tau2"] == pytest.approx(want.tau2, rel=1e-9)
    assert got["pooled_share"] == pytest.approx(1 / (1 + np.exp(-want.mean_effect_re)), rel=1e-9)
    assert 0 <= got["i2"] <= 1
