"""Exact Mann-Kendall (with ties), smallest p, Sen's slope coverage, Poisson trends."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.stats import kendalltau, theilslopes

from analysis.stats import trend


def test_inversion_counts_are_mahonian_numbers_and_q_multinomials():
    assert trend.inversion_counts([1, 1, 1, 1]) == [1, 3, 5, 6, 5, 3, 1]
    # arrangements of a a b b by inversions: aabb 0, abab 1, abba 2, baab 2, baba 3, bbaa 4
    assert trend.inversion_counts([2, 2]) == [1, 1, 2, 1, 1]
    assert sum(trend.inversion_counts([3, 2, 1])) == math.factorial(6) // (math.factorial(3) * 2)


@pytest.mark.parametrize("n", [3, 4, 5, 7, 9])
def test_untied_series_match_scipy_exact(n):
    rng = np.random.default_rng(n)
    y = rng.permutation(n).astype(float)
    t = np.arange(n, dtype=float)
    res = trend.mann_kendall(t, y)
    assert res["p_value"] == pytest.approx(kendalltau(t, y, method="exact").pvalue, rel=1e-12)
    dist = trend.s_null_distribution([1] * n, n)
    assert trend._exact_p_from_distribution(dist, trend.kendall_s(t, y)) == pytest.approx(res["p_value"], rel=1e-12)


def _brute_force_p(t, y):
    s = abs(trend.kendall_s(t, y))
    perms = list(itertools.permutations(range(len(y))))
    return sum(abs(trend.kendall_s(t, y[list(p)])) >= s for p in perms) / len(perms)


def test_ties_in_values_match_enumeration():
    t = np.arange(7, dtype=float)
    y = np.array([211, 211, 208, 208, 211, 212, 221], dtype=float)
    res = trend.mann_kendall(t, y)
    assert "q-multinomial" in res["method"]
    assert res["p_value"] == pytest.approx(_brute_force_p(t, y), rel=1e-12)


def test_ties_in_time_and_values_match_enumeration():
    t = np.array([0, 0, 1, 2, 3, 4, 5], dtype=float)
    y = np.array([14, 13, 14, 13, 13, 14, 15], dtype=float)
    res = trend.mann_kendall(t, y, np.random.default_rng(0))
    assert "both" in res["method"]
    assert res["p_value"] == pytest.approx(_brute_force_p(t, y), rel=1e-12)


def test_smallest_p():
    assert trend.smallest_p(2) == 1.0
    assert trend.smallest_p(3) == pytest.approx(1 / 3)
    assert trend.smallest_p(4) == pytest.approx(1 / 12)
    assert trend.smallest_p(5) == pytest.approx(1 / 60)
    # four values with one tie: 4!/2! = 12 arrangements, one at each extreme
    assert trend.smallest_p(4, None, [1, 1, 2]) == pytest.approx(2 / 12)
    assert trend.smallest_p(4, None, [4]) == 1.0


def test_constant_or_short_series_are_not_tested():
    assert trend.mann_kendall([1, 2, 3, 4], [99, 99, 99, 99])["p_value"] is None
    assert trend.mann_kendall([1, 2], [1, 2])["p_value"] is None


def test_sen_coverage_at_three_points_is_two_thirds():
    assert trend.sen_coverage([0.0, 1, 2], [1.0, 2, 4]) == pytest.approx(2 / 3)
    assert trend.sen_coverage([0.0, 1], [1.0, 2]) == 0.0


def test_sen_coverage_matches_simulation():
    rng = np.random.default_rng(12)
    t = np.array([0.0, 0.4, 1.1, 1.5, 2.9, 3.0])
    hits = 0
    sims = 3000
    for _ in range(sims):
        y = 2.0 * t + rng.normal(size=t.size)
        res = theilslopes(y, t, alpha=0.95)
        hits += res.low_slope <= 2.0 <= res.high_slope
    exact = trend.sen_coverage(t, 2.0 * t + rng.normal(size=t.size))
    assert hits / sims == pytest.approx(exact, abs=3 * math.sqrt(exact * (1 - exact) / sims) + 0.005)


def test_pearson_dispersion_is_statsmodels_poisson_glm_and_far_below_one_for_a_stock():
    t_ = np.arange(5.0)
    counts = np.array([89.0, 100, 105, 110, 126])
    # by hand: a log-linear Poisson fit, then sum (y - mu)^2 / mu over n - 2
    fit = sm.GLM(counts, sm.add_constant(t_ - t_.mean()), family=sm.families.Poisson()).fit()
    assert trend.pearson_dispersion(t_, counts) == pytest.approx(np.sum((counts - fit.mu) ** 2 / fit.mu) / 3, rel=1e-3)
    assert trend.pearson_dispersion(t_, np.full(5, 99.0)) == 0.0
    assert trend.pearson_dispersion(t_, counts) < 1
    assert math.isnan(trend.pearson_dispersion([0.0, 1.0], [5.0, 6.0]))


def test_tarone_family_counts_only_the_tests_that_can_reach_the_level():
    # two series of 5 untied points (smallest p 2/5! = 0.0167) and four that cannot reach 0.05
    k, members = trend.tarone_family([1 / 60, 1 / 60, 1 / 6, 0.2, 1 / 3, 1 / 6], 0.05)
    assert k == 2 and members.tolist() == [True, True, False, False, False, False]
    # none can reach the level: an empty family
    k, members = trend.tarone_family([1 / 12, 1 / 12, 1 / 3], 0.05)
    assert not members.any()
    # Tarone's K: 3 tests able at 0.05, only 2 at 0.05/2 -> K = 2 with those 2
    k, members = trend.tarone_family([0.001, 0.01, 0.04], 0.05)
    assert k == 2 and members.tolist() == [True, True, False]


def test_growth_per_year_is_compound_and_undefined_without_a_base():
    assert trend.growth_per_year(100, 121, 2) == pytest.approx(0.1)
    assert math.isnan(trend.growth_per_year(0, 5, 2)) and math.isnan(trend.growth_per_year(5, 6, 0))


def test_decimal_years():
    years = trend.decimal_years(pd.Series(pd.to_datetime(["2024-01-01", "2025-01-01", "2023-07-02"])))
    assert years[:2] == pytest.approx([2024.0, 2025.0])
    assert 2023.49 < years[2] < 2023.51
