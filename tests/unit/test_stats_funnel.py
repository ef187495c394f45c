"""Exact funnel limits (Spiegelhalter 2005) and overdispersion, against independent computations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

from analysis.stats import funnel


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
    assert funnel.binomial_limit(p0, [n], prob)[0] == pytest.approx(_interpolated_limit(cdf, prob, n), abs=1e-9)


@pytest.mark.parametrize(("rate", "exposure", "prob"), [(1.5, 20, 0.975), (0.4, 9, 0.025), (39.6, 2.2, 0.999)])
def test_poisson_limit_by_enumeration(rate, exposure, prob):
    mu = rate * exposure

    def cdf(r):
        return sum(math.exp(-mu) * mu ** k / math.factorial(k) for k in range(r + 1))
    assert funnel.poisson_limit(rate, [exposure], prob)[0] == pytest.approx(_interpolated_limit(cdf, prob, exposure), abs=1e-9)


def test_exact_limits_approach_normal_limits_for_large_n():
    n, p0 = 200_000, 0.44
    half = 1.959964 * math.sqrt(p0 * (1 - p0) / n)
    assert funnel.binomial_limit(p0, [n], 0.975)[0] == pytest.approx(p0 + half, abs=2e-5)
    assert funnel.binomial_limit(p0, [n], 0.025)[0] == pytest.approx(p0 - half, abs=2e-5)


def test_limits_nest():
    curve = funnel.binomial_funnel(0.4, np.arange(20, 400, 10), phi=4.0, tau2=0.01)
    assert (curve["exact_low_998"] <= curve["exact_low_95"]).all()
    assert (curve["exact_high_95"] <= curve["exact_high_998"]).all()
    assert (curve["phi_high_998"] >= curve["exact_high_998"] - 1e-3).all()


def test_overdispersion_by_hand():
    z = np.array([-3.0, -1.0, -0.5, 0.0, 0.2, 0.4, 0.8, 1.0, 1.5, 4.0])
    se = np.full(10, 0.05)
    od = funnel.overdispersion(z, se, fraction=0.1)
    winsorised = np.array([-1.0, -1.0, -0.5, 0.0, 0.2, 0.4, 0.8, 1.0, 1.5, 1.5])  # one at each end
    phi = np.mean(winsorised ** 2)
    assert od["phi"] == pytest.approx(phi)
    assert od["dof"] == 9 and od["statistic"] == pytest.approx(10 * phi)
    w = 1 / se ** 2
    tau2 = max(0.0, (10 * phi - 9) / (w.sum() - (w ** 2).sum() / w.sum()))
    assert od["tau2"] == pytest.approx(tau2)


def test_phi_is_about_one_under_the_binomial_with_an_estimated_target():
    # Without winsorising, I * phi has expectation about I - 1 when the target is estimated.
    rng = np.random.default_rng(7)
    n = np.array([80, 120, 150, 200, 250, 300, 350, 400, 450, 500] * 2)
    stats = []
    for _ in range(400):
        y = rng.binomial(n, 0.4)
        p0 = y.sum() / n.sum()
        se = funnel.binomial_se(p0, n)
        stats.append(funnel.overdispersion((y / n - p0) / se, se, fraction=0.0)["statistic"])
    assert np.mean(stats) == pytest.approx(len(n) - 1, rel=0.08)


def test_funnel_units_flag_a_clear_outlier_with_holm():
    n = np.full(12, 200)
    estimate = np.full(12, 0.4)
    estimate[3] = 0.7
    units, od = funnel.funnel_units(estimate, funnel.binomial_se(0.4, n), 0.4)
    assert not od["present"], "one outlier among equal units is winsorised away: no overdispersion"
    assert units["flagged"].tolist() == [i == 3 for i in range(12)]
    assert np.allclose(units["p_adjusted"], multipletests(units["p_value"], method="holm")[1])


def test_overdispersed_units_are_scaled():
    n = np.full(10, 200)
    estimate = np.linspace(0.2, 0.6, 10)
    units, od = funnel.funnel_units(estimate, funnel.binomial_se(0.4, n), 0.4)
    assert od["present"] and od["phi"] > 1
    assert np.allclose(units["z_adjusted"], units["z"] / math.sqrt(od["phi"]))
